// The demo's child processes: each built service (`node dist/apps/<app>/main.js`) with its log
// in deploy/local/.run/logs, ready when /health/ready answers; stopped with SIGTERM on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const RUN = join(ROOT, 'deploy/local/.run');
export const say = (m: string) => process.stdout.write(`[demo] ${m}\n`);
export const rel = (path: string) => path.replace(`${ROOT}/`, '');

export class DemoServices {
  private readonly children: { name: string; child: ChildProcess }[] = [];

  static built(app: string, file = 'main.js'): boolean {
    return existsSync(join(ROOT, 'dist/apps', app, file));
  }

  /** Starts `app` and waits until `http://127.0.0.1:<port>/health/ready` answers 200. */
  async start(app: string, env: Record<string, string>, port: number, args: readonly string[] = []): Promise<void> {
    const log = join(RUN, 'logs', `${app}.log`);
    mkdirSync(join(RUN, 'logs'), { recursive: true });
    if ((await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null)) !== null) {
      throw new Error(`port ${port} is already in use (another demo still running?); ${app} cannot start there`);
    }
    const out = openSync(log, 'a');
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps', app, 'main.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    this.children.push({ name: app, child });
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`${app} exited (code ${child.exitCode}); see ${rel(log)}`);
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.ok) {
        say(`${app} ready on http://127.0.0.1:${port} (log: ${rel(log)})`);
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${app} did not become ready within 60 s; see ${rel(log)}`);
  }

  /** SIGTERM to every service, newest first; SIGKILL after 20 s. */
  async stopAll(): Promise<void> {
    for (const { child } of [...this.children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
  }
}
