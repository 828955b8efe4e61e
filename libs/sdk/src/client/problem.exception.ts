// What the gateway's refusals look like to a client: RFC 9457 problem+json, plus the transport
// failures that never produced an answer. Browser-safe.

/** One failing field of a `SCHEMA_VALIDATION_FAILED` answer. */
export interface ProblemFieldError {
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

/** An RFC 9457 problem document with Rabt's stable machine-readable `code`. */
export interface ProblemDocument {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly retryAfterSeconds?: number;
  readonly [extension: string]: unknown;
}

/** Codes the SDK uses itself, for answers that carried no problem document. */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

/** The gateway refused the call: the problem document, with its parts as fields. */
export class RabtProblemError extends Error {
  override readonly name = 'RabtProblemError';
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** The failing field paths of a `SCHEMA_VALIDATION_FAILED` answer. */
  readonly errors: readonly ProblemFieldError[] | undefined;
  /** From the `Retry-After` header (or the document's own `retryAfterSeconds`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly problem: ProblemDocument,
    retryAfterSeconds?: number,
  ) {
    super(`${problem.code} (${problem.status}): ${problem.detail ?? problem.title}`);
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : undefined;
    this.retryAfterSeconds = retryAfterSeconds ?? (typeof problem.retryAfterSeconds === 'number' ? problem.retryAfterSeconds : undefined);
  }

  /** Reads a non-2xx answer; one without a problem document becomes code `UNEXPECTED_RESPONSE`. */
  static async fromResponse(res: Response, now: Date = new Date()): Promise<RabtProblemError> {
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now);
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isProblem(body)) return new RabtProblemError({ ...body, status: res.status }, retryAfter);
    const detail = text ? `HTTP ${res.status}: ${text.slice(0, 200)}` : `HTTP ${res.status} without a body`;
    return new RabtProblemError({ title: 'Unexpected answer from the gateway', status: res.status, code: UNEXPECTED_RESPONSE, detail }, retryAfter);
  }
}

/** No answer at all: the connection failed or the request timed out on every attempt. */
export class RabtNetworkError extends Error {
  override readonly name = 'RabtNetworkError';

  constructor(
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function isProblem(body: unknown): body is ProblemDocument {
  if (body === null || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b['code'] === 'string' && typeof b['title'] === 'string';
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
