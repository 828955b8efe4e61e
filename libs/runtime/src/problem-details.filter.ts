import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonTooDeepError } from './bounded-json';
import { DomainException, type ProblemMapping } from './domain.exception';
import { genericProblem, internalProblem, problem, PROBLEM_CONTENT_TYPE, type ProblemDocument } from './problem-details';
import { databaseAddress, unreachableDependency, type DatabaseAddress } from './unreachable.dependency';

/**
 * The one HTTP error mapping for a service: domain exceptions by their code (through the
 * mappings the app registers), Nest/Fastify HTTP errors by status, an unreachable database or
 * other dependency a 503 with Retry-After (DATABASE_UNAVAILABLE, UNAVAILABLE), anything else a 500
 * whose error id is both in the answer and in the log line with the stack.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');
  private readonly mapping: ProblemMapping<string>;

  private database: DatabaseAddress | undefined;

  constructor(mappings: readonly ProblemMapping<string>[] = []) {
    this.mapping = Object.assign({}, ...mappings) as ProblemMapping<string>;
  }

  /** Where the service's database is (DATABASE_URL): a refused connection there is DATABASE_UNAVAILABLE. */
  databaseAt(url: string): this {
    this.database = databaseAddress(url);
    return this;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const doc = this.toProblem(exception);
    sendProblem(reply, { ...doc, instance: request.url });
  }

  toProblem(exception: unknown): ProblemDocument {
    if (exception instanceof DomainException) {
      const type = this.mapping[exception.code];
      if (type) {
        return {
          ...problem(exception.code, type.status, type.title, exception.message, { ...(exception.details ?? {}) }),
          ...(type.retryAfterSeconds ? { retryAfterSeconds: type.retryAfterSeconds } : {}),
        };
      }
      this.logger.error({ err: exception, code: exception.code }, 'domain exception without a problem mapping');
    }
    if (exception instanceof JsonTooDeepError) return problem('INVALID_JSON', 400, 'The body is not valid JSON', exception.message, { maxDepth: exception.maxDepth });
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
      const detail = Array.isArray(message) ? message.join('; ') : String(message);
      // Nest re-throws Fastify's body-parser errors as plain HttpExceptions (losing their FST_ code).
      if (status === 400 && /^Body (is not valid JSON|cannot be empty)/.test(detail)) return problem('INVALID_JSON', 400, 'The body is not valid JSON', detail);
      return genericProblem(status, detail);
    }
    const fastifyStatus = fastifyErrorStatus(exception);
    if (fastifyStatus) {
      const known = FASTIFY_PROBLEMS[(exception as { code: string }).code];
      return known ? problem(known.code, fastifyStatus, known.title, (exception as Error).message) : genericProblem(fastifyStatus, (exception as Error).message);
    }
    if (isPostgresDataException(exception)) {
      this.logger.warn({ err: exception }, 'answered 400: PostgreSQL refused a value from the request');
      return problem('INVALID_INPUT', 400, 'A value in the request is not acceptable', 'A value in the request cannot be stored or looked up (for example a NUL character, a number out of range, or text where a number or UUID is due).');
    }
    const unreachable = unreachableDependency(exception, this.database);
    if (unreachable) {
      this.logger.warn({ err: exception }, `answered 503: ${unreachable === 'database' ? 'the database' : 'a dependency'} could not be reached`);
      return unreachable === 'database'
        ? { ...problem('DATABASE_UNAVAILABLE', 503, 'The database could not be reached', 'The service could not reach its database; try again later.'), retryAfterSeconds: UNREACHABLE_RETRY_AFTER_SECONDS }
        : { ...problem('UNAVAILABLE', 503, 'Temporarily unavailable', 'A system this service depends on could not be reached; try again later.'), retryAfterSeconds: UNREACHABLE_RETRY_AFTER_SECONDS };
    }
    const doc = internalProblem();
    this.logger.error({ err: exception, errorId: doc.errorId }, 'unhandled error');
    return doc;
  }
}

const UNREACHABLE_RETRY_AFTER_SECONDS = 5;

/** Stable codes for Fastify's own request errors (they happen before any controller runs). */
const FASTIFY_PROBLEMS: Readonly<Record<string, { code: string; title: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', title: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', title: 'The body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', title: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', title: 'Content-Length does not match the body' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', title: 'A path parameter is too long' },
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', title: 'The URL is not valid' },
};

/**
 * PostgreSQL's class 22 "data exception" (a NUL byte in text, a value out of range, text that is
 * no UUID): a value from the request reached a query that cannot take it. That is bad input,
 * not a fault of the service. TypeORM keeps the driver's error as `driverError`.
 */
function isPostgresDataException(e: unknown): boolean {
  const err = e as { name?: unknown; code?: unknown; driverError?: { code?: unknown } } | undefined;
  if (err?.name !== 'QueryFailedError') return false;
  const code = err.driverError?.code ?? err.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** Fastify's own errors (body parsing, limits) carry a statusCode and an FST_ code. */
export function fastifyErrorStatus(e: unknown): number | undefined {
  const err = e as { statusCode?: unknown; code?: unknown };
  if (typeof err?.statusCode === 'number' && typeof err.code === 'string' && err.code.startsWith('FST_') && err.statusCode >= 400 && err.statusCode < 500) {
    return err.statusCode;
  }
  return undefined;
}

export function sendProblem(reply: FastifyReply, doc: ProblemDocument): void {
  const { retryAfterSeconds, ...body } = doc as ProblemDocument & { retryAfterSeconds?: number };
  if (retryAfterSeconds) void reply.header('Retry-After', String(retryAfterSeconds));
  void reply.status(doc.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(body);
}
