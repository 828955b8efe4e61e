import { describe, expect, it } from 'vitest';
import { ExitCode } from '../cli/cli.exception';
import { opsClient, problemException } from './ops.client';

const URL = 'http://ops.test';

describe('the ops client', () => {
  it.each([
    [{ status: 401, code: 'UNAUTHENTICATED' }, ExitCode.USAGE, 'run rabt login'],
    [{ status: 401, code: 'INVALID_CREDENTIALS', detail: 'wrong username or password' }, ExitCode.FAILED, 'INVALID_CREDENTIALS'],
    [{ status: 400, code: 'REASON_REQUIRED', detail: 'send a reason' }, ExitCode.USAGE, 'REASON_REQUIRED: send a reason'],
    [{ status: 403, code: 'FORBIDDEN_ROLE' }, ExitCode.FAILED, 'FORBIDDEN_ROLE'],
    [{ status: 429, code: 'RATE_LIMITED' }, ExitCode.FAILED, 'RATE_LIMITED'],
    [{ status: 503 }, ExitCode.OPS_UNREACHABLE, 'HTTP 503'],
  ])('maps %j to exit %i', (problem, exit, text) => {
    const e = problemException(URL, problem);
    expect(e.exitCode).toBe(exit);
    expect(e.message).toContain(text);
  });

  it('sends the session as Bearer and JSON bodies; answers the parsed JSON; an unreachable service is exit 3', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ ok: true }), { status: 202 });
    }) as unknown as typeof fetch;
    expect(await opsClient(URL, 'rops_t', fake).call('POST', '/v1/replays', { reason: 'x' })).toEqual({ ok: true });
    expect(calls[0]!.url).toBe(`${URL}/v1/replays`);
    expect((calls[0]!.init.headers as Record<string, string>)['authorization']).toBe('Bearer rops_t');
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    const down = (async () => {
      throw new Error('connect ECONNREFUSED');
    }) as unknown as typeof fetch;
    await expect(opsClient(URL, undefined, down).call('GET', '/v1/session')).rejects.toMatchObject({ exitCode: ExitCode.OPS_UNREACHABLE });
  });

  it('signs in taking the token from the rabt_ops_session cookie, not the body', async () => {
    const fake = (async () =>
      new Response(JSON.stringify({ expiresAt: '2026-12-08T00:00:00Z', operator: { username: 'aisha' } }), {
        status: 200,
        headers: { 'set-cookie': 'rabt_ops_session=rops_abc; Path=/; HttpOnly; SameSite=Strict' },
      })) as unknown as typeof fetch;
    const { answer, token } = await opsClient(URL, undefined, fake).signIn('aisha', 'pw');
    expect(token).toBe('rops_abc');
    expect(answer.operator.username).toBe('aisha');
  });
});
