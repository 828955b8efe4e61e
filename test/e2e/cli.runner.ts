// Runs the built `rabt` CLI (dist/apps/cli/main.js) as a user would, with a clean environment.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect } from 'vitest';
import { WORKSPACE_ROOT } from '@rabt/testing';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env()` gives the whole environment of every run (PATH, DATABASE_URL of the test's database, …). */
export function cliRunner(env: () => Record<string, string>) {
  /** `input`, when given, is piped to standard input (e.g. a password). */
  async function rabt(args: string[], extra: Record<string, string> = {}, input?: string): Promise<CliRun> {
    const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps/cli/main.js'), ...args], {
      cwd: WORKSPACE_ROOT,
      env: { RABT_DEV_MODE: 'true', ...env(), ...extra },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr };
  }

  /** Runs and expects exit 0 (the output is in the failure message). */
  async function ok(args: string[], extra?: Record<string, string>, input?: string): Promise<CliRun> {
    const run = await rabt(args, extra, input);
    expect(run.code, `rabt ${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(0);
    return run;
  }

  /** Runs with --json, expects exit 0, returns the parsed output. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const okJson = async (args: string[], extra?: Record<string, string>, input?: string): Promise<any> => JSON.parse((await ok([...args, '--json'], extra, input)).stdout);

  return { rabt, ok, okJson };
}
