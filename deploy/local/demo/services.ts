// The demo's child processes: each built service (`node dist/apps/<app>/main.js`) with its log
// in deploy/local/.run/logs, ready when /health/ready answers; stopped with SIGTERM on Ctrl-C.
// The demo is their supervisor: a service that exits by itself with a failure code (70 is what a
// Rabt service uses when its Kafka consumer crashed for good) is started again, with backoff.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { withServicePrincipal } from '@rabt/testing';

export const ROOT = join(__dirname, '..', '..', '..');
export const RUN = join(ROOT, 'deploy/local/.run');
export const say = (m: string) => process.stdout.write(`[demo] ${m}\n`);
export const rel = (path: string) => path.replace(`${ROOT}/`, '');

interface Supervised {
  readonly name: string;
  child: ChildProcess;
  readonly spawnChild: () => ChildProcess;
  readonly port: number;
  readonly log: string;
  /** Restarts in a row without a minute of uptime between them. */
  restarts: number;
  startedAt: number;
  restartTimer?: NodeJS.Timeout;
}

export interface DemoServicesOptions {
  /** The script a service runs; the built service by default. */
  readonly scriptOf?: (app: string) => string;
  readonly logDir?: string;
  /** First restart delay; it doubles per restart in a row, up to 30 s. */
  readonly restartDelayMs?: number;
  readonly announce?: (message: string) => void;
}

export class DemoServices {
  private readonly children: Supervised[] = [];
  private stopping = false;
  private readonly scriptOf: (app: string) => string;
  private readonly logDir: string;
  private readonly restartDelayMs: number;
  private readonly announce: (message: string) => void;

  constructor(options: DemoServicesOptions = {}) {
    this.scriptOf = options.scriptOf ?? ((app) => join(ROOT, 'dist/apps', app, 'main.js'));
    this.logDir = options.logDir ?? join(RUN, 'logs');
    this.restartDelayMs = options.restartDelayMs ?? 1_000;
    this.announce = options.announce ?? say;
  }

  static built(app: string, file = 'main.js'): boolean {
    return existsSync(join(ROOT, 'dist/apps', app, file));
  }

  /** Starts `app` and waits until `http://127.0.0.1:<port>/health/ready` answers 200. */
  async start(app: string, env: Record<string, string>, port: number, args: readonly string[] = []): Promise<void> {
    const log = join(this.logDir, `${app}.log`);
    mkdirSync(this.logDir, { recursive: true });
    if ((await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null)) !== null) {
      throw new Error(`port ${port} is already in use (another demo still running?); ${app} cannot start there`);
    }
    const spawnChild = () => {
      const out = openSync(log, 'a');
      // Each Kafka service connects as its own principal (its certificate from the local PKI).
      const environment = withServicePrincipal(app, { ...(process.env as Record<string, string>), RABT_DEV_MODE: 'true', ...env });
      return spawn(process.execPath, [this.scriptOf(app), ...args], { cwd: ROOT, env: environment, stdio: ['ignore', out, out] });
    };
    const supervised: Supervised = { name: app, child: spawnChild(), spawnChild, port, log, restarts: 0, startedAt: Date.now() };
    this.children.push(supervised);
    await this.ready(supervised);
    this.announce(`${app} ready on http://127.0.0.1:${port} (log: ${rel(log)})`);
    this.supervise(supervised);
  }

  private async ready({ name, child, port, log }: Supervised): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`${name} exited (code ${child.exitCode}); see ${rel(log)}`);
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${name} did not become ready within 60 s; see ${rel(log)}`);
  }

  /**
   * A service that exits by itself with a non-zero code is started again: 1 s, then doubling up to
   * 30 s while it keeps failing within a minute of its start. One stopped by a signal (Ctrl-C, an
   * operator's kill) is left stopped, as is everything once the demo stops.
   */
  private supervise(s: Supervised): void {
    s.child.once('exit', (code, signal) => {
      if (this.stopping || signal !== null || code === 0) {
        if (!this.stopping) this.announce(`${s.name} stopped (${signal ?? `code ${code}`}); not restarted`);
        return;
      }
      s.restarts = Date.now() - s.startedAt > 60_000 ? 1 : s.restarts + 1;
      const delay = Math.min(30_000, this.restartDelayMs * 2 ** (s.restarts - 1));
      this.announce(`${s.name} exited with code ${code}; starting it again in ${delay} ms (log: ${rel(s.log)})`);
      s.restartTimer = setTimeout(() => {
        if (this.stopping) return;
        s.child = s.spawnChild();
        s.startedAt = Date.now();
        this.supervise(s);
        void this.ready(s).then(
          () => this.announce(`${s.name} ready again on http://127.0.0.1:${s.port}`),
          (e: unknown) => this.announce(`${s.name} did not become ready again: ${(e as Error).message}`),
        );
      }, delay);
    });
  }

  /** The process id of `app`'s current process. */
  pidOf(app: string): number | undefined {
    return this.children.find((s) => s.name === app)?.child.pid;
  }

  /** SIGTERM to every service, newest first; SIGKILL after 20 s. No restarts from here on. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const s of [...this.children].reverse()) {
      clearTimeout(s.restartTimer);
      const { child } = s;
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
