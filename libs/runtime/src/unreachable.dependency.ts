import { isIP } from 'node:net';

/**
 * Whether an error means "a system this service depends on could not be reached", not "the
 * request or the query was wrong": a refused or cut connection, a PostgreSQL server shutting down
 * or starting up, a pool that could not connect in time. Such a request is answered 503 with
 * Retry-After, not 500: the caller did nothing wrong and may simply try again.
 *
 * - `'database'`: node-postgres said so itself — a PostgreSQL SQLSTATE for a server that is going
 *   or not yet there, one of its connection-loss messages, or a socket error inside TypeORM's
 *   QueryFailedError (which keeps the driver's error as `driverError`).
 * - `'database'` too: a bare socket error (ECONNREFUSED, …) to the database's address, when the
 *   service said where its database is (`database`, from DATABASE_URL). A pool that cannot connect
 *   reports just that.
 * - `'dependency'`: any other bare socket error; it does not say whose it was.
 * - `undefined`: anything else (a bug, a constraint violation, …).
 *
 * Errors wrapping others as `cause`, and AggregateErrors (every address of a host refused), are
 * looked into.
 */
export function unreachableDependency(error: unknown, database?: DatabaseAddress): 'database' | 'dependency' | undefined {
  let found: 'dependency' | undefined;
  const seen = new Set<unknown>();
  const pending: { e: unknown; inQuery: boolean }[] = [{ e: error, inQuery: false }];
  while (pending.length) {
    const { e, inQuery } = pending.pop()!;
    if (!e || typeof e !== 'object' || seen.has(e) || seen.size > 10) continue;
    seen.add(e);
    const { name, code, message, errors, cause, driverError } = e as { name?: unknown; code?: unknown; message?: unknown; errors?: unknown; cause?: unknown; driverError?: unknown };
    if (typeof code === 'string' && (POSTGRES_UNREACHABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return 'database';
    if (typeof message === 'string' && POSTGRES_MESSAGES.test(message)) return 'database';
    if (typeof code === 'string' && SOCKET_CODES.has(code)) {
      if (inQuery || (database && isDatabaseSocket(e as SocketError, database))) return 'database';
      found = 'dependency';
    }
    const query = inQuery || name === 'QueryFailedError';
    if (Array.isArray(errors)) for (const inner of errors) pending.push({ e: inner, inQuery: query });
    pending.push({ e: cause, inQuery: query }, { e: driverError, inQuery: query });
  }
  return found;
}

/** 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections; class 08 by pattern. */
const POSTGRES_UNREACHABLE = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres reports a lost connection and a pool's connect timeout without a code. */
const POSTGRES_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)/;

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Where a service's database listens, from its DATABASE_URL. */
export interface DatabaseAddress {
  readonly host: string;
  readonly port: number;
}

export function databaseAddress(url: string): DatabaseAddress | undefined {
  try {
    const u = new URL(url);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 5432 };
  } catch {
    return undefined;
  }
}

interface SocketError {
  readonly address?: unknown;
  readonly port?: unknown;
}

/** The socket error's peer is the database: its port, and its address unless the URL names a host (resolved to an address we cannot compare). */
function isDatabaseSocket(e: SocketError, database: DatabaseAddress): boolean {
  if (e.port !== database.port) return false;
  if (typeof e.address !== 'string') return false;
  const named = !isIP(database.host);
  return named || e.address === database.host;
}
