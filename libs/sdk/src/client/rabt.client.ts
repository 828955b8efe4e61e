// The agency's publisher client for the Rabt gateway (docs/gateway.md). Browser-safe: fetch,
// AbortSignal.timeout and crypto.randomUUID only.
import type { EventData, EventType } from '@rabt/contracts';
import type { BatchEvent, PublishAccepted, PublishedEvent, PublishOptions, TransactionView } from '../cloudevent.types';
import { buildCloudEvent } from './cloudevent.builder';
import { RabtNetworkError, RabtProblemError, UNEXPECTED_RESPONSE } from './problem.exception';

export interface RabtClientOptions {
  /** The gateway, e.g. `https://rabt.example.gov.om` (no trailing `/v1`). */
  readonly baseUrl: string;
  /** The agency's API key (`Authorization: Bearer …`). */
  readonly apiKey: string;
  /** The agency's code (`mom`, `rop`, …): events are published as `urn:rabt:agency:<agency>`. */
  readonly agency: string;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Per attempt. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, for 429, 503, 409 IDEMPOTENCY_IN_PROGRESS and network errors. Default 3. */
  readonly retries?: number;
  /** The longest wait before a retry. A `Retry-After` beyond it is not waited out: the error is thrown. Default 30 000 ms. */
  readonly maxRetryDelayMs?: number;
  /** How to wait between attempts (injectable for tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One event's outcome in `publishBatch`, in the order given. */
export type BatchItemResult =
  | { readonly index: number; readonly ok: true; readonly accepted: PublishAccepted }
  | { readonly index: number; readonly ok: false; readonly error: RabtProblemError };

type Outcome = { readonly kind: 'ok'; readonly body: unknown } | { readonly kind: 'problem'; readonly error: RabtProblemError } | { readonly kind: 'network'; readonly cause: unknown };

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const BACKOFF_BASE_MS = 250;

/**
 * Publishes CloudEvents to the gateway. Every retry resends the same event (same `id`, same
 * content), so the gateway's idempotency answers it with the original result: a retry never
 * publishes twice. Only 429, 503, 409 `IDEMPOTENCY_IN_PROGRESS` (the same id is in flight, e.g.
 * after a client-side timeout) and network errors are retried, honouring `Retry-After`.
 */
export class RabtClient {
  readonly agency: string;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxRetryDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RabtClientOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required');
    if (!options.apiKey) throw new TypeError('apiKey is required');
    if (!options.agency) throw new TypeError('agency is required');
    this.agency = options.agency;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = Math.max(0, options.retries ?? 3);
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Publishes one event (structured mode) and resolves with the gateway's 202 answer. */
  async publish<T extends EventType>(type: T, data: EventData<T>, options: PublishOptions = {}): Promise<PublishAccepted> {
    const body = JSON.stringify(buildCloudEvent(this.agency, type, data, options));
    return this.call<PublishAccepted>('POST', '/v1/events', body, STRUCTURED);
  }

  /**
   * Publishes up to the gateway's batch limit (500 by default) in one request. Each event gets its
   * own result; events refused with a retryable answer are resent (alone) within the retry budget.
   */
  async publishBatch(events: readonly BatchEvent[]): Promise<BatchItemResult[]> {
    if (events.length === 0) return [];
    const built = events.map(({ type, data, ...options }) => buildCloudEvent(this.agency, type, data, options));
    const results: BatchItemResult[] = [];
    let pending = built.map((_, index) => index);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.once('POST', '/v1/events/batch', JSON.stringify(pending.map((i) => built[i])), BATCH);
      if (outcome.kind !== 'ok') {
        await this.waitOrThrow(outcome, attempt);
        continue;
      }
      const answers = batchAnswers(outcome.body, pending.length);
      const again: number[] = [];
      let wait = 0;
      answers.forEach((answer, j) => {
        const index = pending[j]!;
        if (answer.status === 202) return void (results[index] = { index, ok: true, accepted: acceptedOf(answer) });
        const error = new RabtProblemError({ title: 'Refused', code: UNEXPECTED_RESPONSE, ...(answer.problem ?? {}), status: answer.status });
        const delay = this.retryDelay({ kind: 'problem', error }, attempt);
        if (delay === undefined) return void (results[index] = { index, ok: false, error });
        again.push(index);
        wait = Math.max(wait, delay);
      });
      if (again.length === 0) return results;
      pending = again;
      await this.sleep(wait);
    }
  }

  /** An event this agency published: its state, transaction, attributes, data and offset. */
  async getEvent(id: string): Promise<PublishedEvent> {
    return this.call<PublishedEvent>('GET', `/v1/events/${encodeURIComponent(id)}`);
  }

  /**
   * A cross-agency transaction this agency is party to: state, steps with their SLAs, timeline.
   * Throws `TRANSACTION_NOT_FOUND` (404, also while the workflow service has not taken the trigger
   * in yet, and for a transaction this agency is not party to) as a RabtProblemError.
   */
  async getTransaction(id: string): Promise<TransactionView> {
    return this.call<TransactionView>('GET', `/v1/transactions/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: string, contentType?: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.once(method, path, body, contentType);
      if (outcome.kind === 'ok') return outcome.body as T;
      await this.waitOrThrow(outcome, attempt);
    }
  }

  private async once(method: string, path: string, body?: string, contentType?: string): Promise<Outcome> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.apiKey}`, Accept: 'application/json, application/problem+json' };
    if (contentType) headers['Content-Type'] = contentType;
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (cause) {
      return { kind: 'network', cause };
    }
    if (!res.ok) return { kind: 'problem', error: await RabtProblemError.fromResponse(res) };
    try {
      return { kind: 'ok', body: await res.json() };
    } catch (cause) {
      return { kind: 'network', cause }; // the answer broke off (or was not JSON): resending is safe
    }
  }

  private async waitOrThrow(outcome: Exclude<Outcome, { kind: 'ok' }>, attempt: number): Promise<void> {
    const delay = this.retryDelay(outcome, attempt);
    if (delay === undefined) {
      if (outcome.kind === 'problem') throw outcome.error;
      const reason = outcome.cause instanceof Error ? outcome.cause.message : String(outcome.cause);
      throw new RabtNetworkError(`no answer from ${this.baseUrl} after ${attempt + 1} attempt(s): ${reason}`, attempt + 1, { cause: outcome.cause });
    }
    await this.sleep(delay);
  }

  /** Milliseconds to wait before retrying, or undefined when this outcome is final. */
  private retryDelay(outcome: Exclude<Outcome, { kind: 'ok' }>, attempt: number): number | undefined {
    if (attempt >= this.retries) return undefined;
    if (outcome.kind === 'problem') {
      if (!isRetryable(outcome.error)) return undefined;
      if (outcome.error.retryAfterSeconds !== undefined) {
        const ms = outcome.error.retryAfterSeconds * 1000;
        return ms <= this.maxRetryDelayMs ? ms : undefined;
      }
    }
    // Exponential backoff with jitter (half fixed, half random), capped.
    const ceiling = Math.min(this.maxRetryDelayMs, BACKOFF_BASE_MS * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

/** 429 and 503 say "later"; IDEMPOTENCY_IN_PROGRESS says "this very event is being published right now". */
export function isRetryable(error: RabtProblemError): boolean {
  return error.status === 429 || error.status === 503 || error.code === 'IDEMPOTENCY_IN_PROGRESS';
}

interface BatchAnswer {
  readonly status: number;
  readonly problem?: Record<string, unknown>;
  readonly [member: string]: unknown;
}

function batchAnswers(body: unknown, expected: number): BatchAnswer[] {
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length !== expected || !results.every((r) => typeof (r as BatchAnswer | null)?.status === 'number')) {
    throw new RabtProblemError({ title: 'Unexpected answer from the gateway', status: 200, code: UNEXPECTED_RESPONSE, detail: `expected ${expected} batch results` });
  }
  return results as BatchAnswer[];
}

function acceptedOf(answer: BatchAnswer): PublishAccepted {
  const { id, transactionid, topic, partition, offset } = answer as unknown as PublishAccepted;
  return { id, transactionid, topic, partition, offset };
}
