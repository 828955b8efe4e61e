import { userInfo } from 'node:os';

/** Who the CLI is in the audit log: 'cli:<os user>'. */
export function cliActor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // no passwd entry for this uid (e.g. a container): keep 'unknown'
  }
  return `cli:${user}`;
}
