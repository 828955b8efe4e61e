// Helpers for the CLI's unit specs (not bundled: only specs import this file).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliOutput } from '../cli/cli.exception';

export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const SCHEMAS_DIR = join(WORKSPACE_ROOT, 'schemas');
export const FIXTURES_DIR = join(WORKSPACE_ROOT, 'test', 'fixtures');

/** A CliOutput that remembers what was printed. */
export function capturedOutput(): CliOutput & { readonly stdout: string[]; readonly stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), text: () => [...stdout, ...stderr].join('\n') };
}

/** A throwaway copy of schemas/, to break on purpose. */
export function copyOfSchemas(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-cli-schemas-'));
  cpSync(SCHEMAS_DIR, dir, { recursive: true });
  return dir;
}

/** A fetch answering from a table of `METHOD path` -> [status, body]; records every request. */
export function fakeFetch(answers: Record<string, [number, unknown] | Error>) {
  const requests: { method: string; path: string; headers: Record<string, string>; body: unknown }[] = [];
  const impl = (async (url: string | URL | Request, init?: RequestInit) => {
    const u = new URL(String(url));
    const method = init?.method ?? 'GET';
    const path = u.pathname + u.search;
    requests.push({ method, path, headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const answer = answers[`${method} ${path}`] ?? answers[`${method} *`];
    if (answer instanceof Error) throw answer;
    if (!answer) return new Response(JSON.stringify({ error_code: 40401, message: 'not found' }), { status: 404 });
    return new Response(JSON.stringify(answer[1]), { status: answer[0] });
  }) as typeof fetch;
  return { impl, requests };
}
