import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfluentErrorFilter, REGISTRY_CONTENT_TYPE } from './confluent-error.filter';

/**
 * HTTP details Confluent clients rely on: they send `application/vnd.schemaregistry.v1+json`
 * (and older ones `application/vnd.schemaregistry+json` or `application/octet-stream`), and
 * read the same type back.
 */
export function configureRegistryHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/octet-stream'], { parseAs: 'string' }, json);
  fastify.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json') && !request.url.startsWith('/health')) void reply.header('content-type', REGISTRY_CONTENT_TYPE);
    return payload;
  });
}

export const registryExceptionFilter = () => new ConfluentErrorFilter();
