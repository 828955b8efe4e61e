// A small typed client of the ops API (docs/ops-api.md). In the browser it relies on the
// same-origin session cookie (HttpOnly: no script of the page ever sees the token); the tests
// (and any script) may pass a bearer token instead.
import type {
  Agency,
  CurrentSessionAnswer,
  Dashboard,
  DeadLetterDetail,
  DeadLetterFilter,
  DeadLetterListQuery,
  DeadLetterPage,
  DeadLetterSummary,
  EventView,
  Items,
  Operator,
  OpsErrorCode,
  Page,
  ReplayJob,
  SchemaSubject,
  SchemaVersion,
  SessionAnswer,
  SessionOperator,
  SubscriptionView,
  ExpiringApiKeys,
  TransactionListQuery,
  TransactionSummary,
} from '@rabt/ops-contracts';
import type { TransactionView } from '@rabt/sdk';
import { OpsProblem } from './ops-problem.exception';

export interface OpsClientOptions {
  /** '' for the same origin (the console as served by ops). */
  readonly baseUrl?: string;
  readonly token?: string;
  readonly fetch?: typeof fetch;
  /** Called when a request of a signed-in caller is refused with 401 UNAUTHENTICATED (the session ended). */
  readonly onUnauthenticated?: () => void;
}

/** What an admin does to an operator account (POST /v1/operators/{username}/{action}). */
export type OperatorAction = 'unlock' | 'disable' | 'enable' | 'revoke-sessions';

type Query = Readonly<Record<string, string | number | undefined | null>>;

/** `?a=1&b=2` from the defined, non-empty values (empty string when none). */
export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const segment = encodeURIComponent;

/** The session ended (or never was): the console shows the sign-in form again. */
const UNAUTHENTICATED: OpsErrorCode = 'UNAUTHENTICATED';

export class OpsClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: OpsClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  signIn(username: string, password: string): Promise<SessionAnswer> {
    return this.request('POST', '/v1/session', { username, password });
  }

  async currentOperator(): Promise<SessionOperator> {
    return (await this.request<CurrentSessionAnswer>('GET', '/v1/session')).operator;
  }

  signOut(): Promise<void> {
    return this.request('DELETE', '/v1/session');
  }

  operators(): Promise<Items<Operator>> {
    return this.request('GET', '/v1/operators');
  }

  operatorAction(username: string, action: OperatorAction, reason: string): Promise<unknown> {
    return this.request('POST', `/v1/operators/${segment(username)}/${action}`, { reason });
  }

  deadLetters(query: DeadLetterListQuery): Promise<DeadLetterPage> {
    return this.request('GET', `/v1/dead-letters${queryString({ ...query })}`);
  }

  deadLetter(id: string): Promise<DeadLetterDetail> {
    return this.request('GET', `/v1/dead-letters/${segment(id)}`);
  }

  replay(id: string, reason: string): Promise<DeadLetterSummary> {
    return this.request('POST', `/v1/dead-letters/${segment(id)}/replay`, { reason });
  }

  discard(id: string, reason: string): Promise<DeadLetterSummary> {
    return this.request('POST', `/v1/dead-letters/${segment(id)}/discard`, { reason });
  }

  startReplayJob(filter: DeadLetterFilter, reason: string, ratePerSecond?: number): Promise<ReplayJob> {
    return this.request('POST', '/v1/replays', { filter, reason, ...(ratePerSecond ? { ratePerSecond } : {}) });
  }

  replayJob(id: string): Promise<ReplayJob> {
    return this.request('GET', `/v1/replays/${segment(id)}`);
  }

  event(id: string, source?: string): Promise<EventView> {
    return this.request('GET', `/v1/events/${segment(id)}${queryString({ source })}`);
  }

  transactions(query: TransactionListQuery = {}): Promise<Page<TransactionSummary>> {
    return this.request('GET', `/v1/transactions${queryString({ ...query })}`);
  }

  transaction(id: string): Promise<TransactionView> {
    return this.request('GET', `/v1/transactions/${segment(id)}`);
  }

  dashboard(window = '15m'): Promise<Dashboard> {
    return this.request('GET', `/v1/dashboard${queryString({ window })}`);
  }

  schemas(): Promise<Items<SchemaSubject>> {
    return this.request('GET', '/v1/schemas');
  }

  schemaVersions(subject: string): Promise<Items<SchemaVersion>> {
    return this.request('GET', `/v1/schemas/${segment(subject)}/versions`);
  }

  agencies(): Promise<Items<Agency>> {
    return this.request('GET', '/v1/agencies');
  }

  expiringKeys(): Promise<ExpiringApiKeys> {
    return this.request('GET', '/v1/api-keys/expiring');
  }

  subscriptions(agency?: string): Promise<Items<SubscriptionView>> {
    return this.request('GET', `/v1/subscriptions${queryString({ agency })}`);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      throw OpsProblem.network(e);
    }
    if (!res.ok) {
      const problem = await OpsProblem.fromResponse(res);
      if (problem.code === UNAUTHENTICATED && path !== '/v1/session') this.options.onUnauthenticated?.();
      throw problem;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
