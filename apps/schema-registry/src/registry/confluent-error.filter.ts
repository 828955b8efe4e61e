import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { fastifyErrorStatus } from '@rabt/runtime';
import { RegistryException } from './registry.exception';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * Errors in Confluent's shape `{error_code, message}` (not problem+json): Confluent clients
 * parse this body. Unexpected failures become 50001 with an error id that is also logged.
 */
@Catch()
export class ConfluentErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('schema-registry');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toBody(exception);
    void reply.status(status).header('Content-Type', REGISTRY_CONTENT_TYPE).send(body);
  }

  toBody(exception: unknown): { status: number; body: { error_code: number; message: string } } {
    if (exception instanceof RegistryException) {
      return { status: exception.httpStatus, body: { error_code: exception.errorCode, message: exception.message } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, body: { error_code: status, message: `HTTP ${status} ${exception.message}` } };
    }
    const fastifyStatus = fastifyErrorStatus(exception);
    if (fastifyStatus) return { status: fastifyStatus, body: { error_code: fastifyStatus, message: (exception as Error).message } };
    const errorId = randomUUID();
    this.log.error({ err: exception, errorId }, 'unhandled error');
    return { status: 500, body: { error_code: 50001, message: `Error in the backend data store (error id ${errorId})` } };
  }
}
