// Shared set-up for benchmarks: a fresh migrated database with the demo agencies, keys, and
// built Rabt services started as their own processes (as in production).
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import type { ApiKeyRole } from '@rabt/persistence';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, eventually, freePort, WORKSPACE_ROOT, type ThrowawayDatabase } from '@rabt/testing';

export interface BenchStack {
  readonly db: ThrowawayDatabase;
  issue(agency: string, roles?: ApiKeyRole[]): Promise<string>;
  start(name: string, cmd: string, args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess>;
  close(): Promise<void>;
}

export async function benchStack(): Promise<BenchStack> {
  const db = await createThrowawayDatabase('rabt_bench');
  const database = { url: db.url, poolMax: 4, ssl: false };
  await migrateDatabase(database, 'bench');
  const ds = createDataSource(database, 'bench');
  await ds.initialize();
  await seedAgencies(ds);
  const children: ChildProcess[] = [];
  return {
    db,
    issue: async (agency, roles = []) => (await issueAgencyKey(ds.manager, DEVELOPMENT_PEPPER, agency, 'bench', roles)).token,
    async start(name, cmd, args, env, readyUrl) {
      const child = spawn(cmd, args, { cwd: WORKSPACE_ROOT, env: { ...process.env, LOG_LEVEL: 'warn', RABT_DEV_MODE: 'true', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout!.resume();
      children.push(child);
      await eventually(async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited`);
        return (await fetch(readyUrl).catch(() => null))?.ok === true;
      }, 60_000);
      return child;
    },
    async close() {
      for (const c of children) c.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1500));
      await ds.destroy();
      await db.drop();
    },
  };
}

export const nodeService = (app: string) => ['node', [join(WORKSPACE_ROOT, 'dist/apps', app, 'main.js')]] as const;
export const tsx = join(WORKSPACE_ROOT, 'node_modules/.bin/tsx');
export { freePort };

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Resident set size (VmRSS) of a process in bytes, from /proc/<pid>/status. */
export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

/** Ids of the processes whose command line (NULs as spaces) passes `test`, from /proc. */
export function pidsMatching(test: (cmdline: string) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim())) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

/**
 * CPU seconds used by named groups of processes between `start()` and `stop()`. A group's
 * processes are looked up at both ends; one that exits in between loses its share, so the
 * figures are lower bounds for groups of short-lived processes (Postgres backends).
 */
export class CpuMeter {
  private readonly before = new Map<string, Map<number, number>>();

  constructor(private readonly groups: Record<string, () => number[]>) {}

  private sample(): Map<string, Map<number, number>> {
    const all = new Map<string, Map<number, number>>();
    for (const [name, pids] of Object.entries(this.groups)) {
      const m = new Map<number, number>();
      for (const pid of pids()) {
        try {
          m.set(pid, pid === process.pid ? cpuOfThisProcess() : cpuSeconds(pid));
        } catch {
          /* gone */
        }
      }
      all.set(name, m);
    }
    return all;
  }

  start(): void {
    this.before.clear();
    for (const [k, v] of this.sample()) this.before.set(k, v);
  }

  /** CPU seconds per group since `start()`. */
  stop(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, now] of this.sample()) {
      const then = this.before.get(name) ?? new Map<number, number>();
      let sum = 0;
      for (const [pid, t] of now) sum += t - (then.get(pid) ?? 0);
      out[name] = sum;
    }
    return out;
  }
}

const cpuOfThisProcess = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
