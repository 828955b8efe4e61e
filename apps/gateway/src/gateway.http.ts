import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AGENCY_ADMIN_PROBLEMS } from '@rabt/auth';
import { SUBSCRIPTION_PROBLEMS } from '@rabt/routing';
import { ProblemDetailsFilter, useBoundedJsonParser } from '@rabt/runtime';
import { GATEWAY_PROBLEMS } from './publish/gateway.exception';

/**
 * JSON and the CloudEvents media types parse as JSON nested at most 64 levels deep (deeper is
 * 400 INVALID_JSON); OpenAPI at /docs (and /docs-json).
 */
export function configureGatewayHttp(app: NestFastifyApplication): void {
  useBoundedJsonParser(app, ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json']);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Rabt gateway')
      .setDescription('Agencies publish CloudEvents to Rabt; owners grant who may publish and receive their types; admins manage the agency registry. Errors are RFC 9457 problem+json documents with a stable `code`.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'agency API key (rabt_…)' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}

export const gatewayExceptionFilter = () => new ProblemDetailsFilter([AGENCY_ADMIN_PROBLEMS, SUBSCRIPTION_PROBLEMS, GATEWAY_PROBLEMS]);
