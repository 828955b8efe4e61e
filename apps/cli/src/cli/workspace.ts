import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder at or above `from` holding nx.json (the workspace root), or `from` itself. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

/** A path the user gave, relative to the current directory; the default is relative to the workspace root. */
export function userPath(given: string | undefined, workspaceRoot: string, fallback: string): string {
  return given === undefined ? join(workspaceRoot, fallback) : resolve(given);
}

/** The `version` of the workspace's package.json. */
export function workspaceVersion(workspaceRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
