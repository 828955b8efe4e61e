// Where `rabt login` keeps the ops session: one JSON file, mode 0600, in a 0700 folder.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StoredSession {
  readonly opsUrl: string;
  readonly token: string;
  readonly username: string;
  readonly expiresAt: string;
}

export function saveSession(file: string, session: StoredSession): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its old mode otherwise
}

/** The stored session for `opsUrl`, if any (a session of another ops service does not count). */
export function loadSession(file: string, opsUrl: string): StoredSession | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as StoredSession;
    return s.opsUrl === opsUrl && typeof s.token === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

export function forgetSession(file: string): void {
  rmSync(file, { force: true });
}
