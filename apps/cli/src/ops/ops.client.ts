// The ops API (docs/ops-api.md) as the CLI calls it: a session token as Bearer, problem+json
// answers turned into CliExceptions with the right exit code.
import type { OpsErrorCode, ProblemDocument, SessionAnswer } from '@rabt/ops-contracts';
import { CliException, CliExceptionCode } from '../cli/cli.exception';

/** A refusal's problem+json as far as it came (a proxy's answer may carry only the status). */
export type OpsProblem = Pick<ProblemDocument, 'status'> & Partial<Omit<ProblemDocument, 'status'>>;

/** A wrong password is a refusal, not a session that ended. */
const INVALID_CREDENTIALS: OpsErrorCode = 'INVALID_CREDENTIALS';

export interface OpsClient {
  call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** POST /v1/session: the answer, and the session token from its `rabt_ops_session` cookie (never in the body). */
  signIn(username: string, password: string): Promise<{ answer: SessionAnswer; token: string }>;
}

const SESSION_COOKIE = 'rabt_ops_session=';

type Fetch = typeof fetch;

/** The exception for a refusal: 401 → sign in again (2), 400 → bad usage (2), 5xx → unreachable (3), else refused (1). */
export function problemException(baseUrl: string, p: OpsProblem): CliException {
  const what = `${p.code ?? `HTTP ${p.status}`}: ${p.detail ?? p.title ?? 'no detail'}`;
  if (p.status === 401 && p.code !== INVALID_CREDENTIALS) return new CliException(CliExceptionCode.NOT_SIGNED_IN, `not signed in to ${baseUrl} (or the session expired): run rabt login (${what})`);
  if (p.status >= 500) return new CliException(CliExceptionCode.OPS_UNREACHABLE, `the ops service at ${baseUrl} failed: ${what}`);
  if (p.status === 400) return new CliException(CliExceptionCode.OPS_BAD_REQUEST, what);
  return new CliException(CliExceptionCode.OPS_REFUSED, what);
}

export function opsClient(baseUrl: string, token: string | undefined, fetchImpl: Fetch = fetch): OpsClient {
  async function send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ parsed: unknown; headers: Headers }> {
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new CliException(CliExceptionCode.OPS_UNREACHABLE, `the ops service at ${baseUrl} is unreachable (set RABT_OPS_URL or --ops): ${(e as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) throw problemException(baseUrl, { status: res.status, ...((parsed as object | undefined) ?? {}) });
    return { parsed, headers: res.headers };
  }
  return {
    async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
      return (await send(method, path, body)).parsed as T;
    },
    async signIn(username: string, password: string) {
      const { parsed, headers } = await send('POST', '/v1/session', { username, password });
      const cookie = headers.getSetCookie().find((c) => c.startsWith(SESSION_COOKIE));
      if (!cookie) throw new CliException(CliExceptionCode.OPS_UNREACHABLE, `the ops service at ${baseUrl} signed in without a session cookie`);
      return { answer: parsed as SessionAnswer, token: decodeURIComponent(cookie.slice(SESSION_COOKIE.length).split(';')[0]!) };
    },
  };
}
