import { Transform } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonDepthScanner } from '@rabt/runtime';
import { ConfluentErrorFilter, REGISTRY_CONTENT_TYPE } from './confluent-error.filter';
import { RegistryErrors } from './registry.exception';

/**
 * Deepest JSON nesting accepted in a request body. Confluent's requests are flat (the schema is a
 * string inside them); newer clients add `metadata` and `ruleSet`, a few levels at most.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Longest path parameter, as sent: a subject of 255 characters (assertValidSubject), each
 * percent-encoded UTF-8 of up to 4 bytes. Fastify's default of 100 would refuse valid subjects.
 */
export const REGISTRY_MAX_PARAM_LENGTH = 255 * 4 * 3;

/** The media types the registry parses as JSON: Confluent's own, and what old clients send. */
const REGISTRY_JSON_TYPES = ['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/octet-stream'];
const parsedAsJson = (contentType: string | undefined): boolean => {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || REGISTRY_JSON_TYPES.includes(type);
};

/**
 * HTTP details Confluent clients rely on: they send `application/vnd.schemaregistry.v1+json`
 * (and older ones `application/vnd.schemaregistry+json` or `application/octet-stream`), and
 * read the same type back. JSON is parsed refusing `__proto__` and `constructor.prototype` keys,
 * and a body nested deeper than MAX_BODY_DEPTH is refused 400 while it streams in, before any
 * parser sees it.
 */
export function configureRegistryHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(REGISTRY_JSON_TYPES, { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!parsedAsJson(request.headers['content-type'])) return payload;
    const scanner = new JsonDepthScanner(MAX_BODY_DEPTH);
    const guard = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (scanner.push(chunk)) callback(RegistryErrors.badRequest(`The request body is nested deeper than ${MAX_BODY_DEPTH} levels`));
        else callback(null, chunk);
      },
    });
    // Fastify reads the error while it reads the body; once it has answered (a body over the size
    // limit, say) it stops listening, and a later error must not become an uncaught exception.
    guard.on('error', () => undefined);
    return payload.pipe(guard);
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json') && !request.url.startsWith('/health')) void reply.header('content-type', REGISTRY_CONTENT_TYPE);
    return payload;
  });
}

export const registryExceptionFilter = () => new ConfluentErrorFilter();
