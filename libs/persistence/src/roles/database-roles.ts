import type { QueryRunner } from 'typeorm';

/**
 * The Postgres roles of Rabt. Migrations run as the owner role, which owns every table,
 * sequence and function; each service connects as its own LOGIN role holding only the grants
 * its code needs (docs/security.md, "Database roles"). Roles are cluster-wide: the local set-up
 * and the test helpers create them (provisionDatabaseRoles), a managed server's administrator
 * creates them by hand (docs/security.md).
 */
export const OWNER_ROLE = 'rabt_owner';

export const SERVICE_ROLES = {
  gateway: 'rabt_gateway',
  'schema-registry': 'rabt_schema_registry',
  router: 'rabt_router',
  dispatcher: 'rabt_dispatcher',
  workflow: 'rabt_workflow',
  ops: 'rabt_ops',
  cli: 'rabt_cli',
} as const;

export type ServiceName = keyof typeof SERVICE_ROLES;

/** Every role the schema's grants name, the owner first. */
export const DATABASE_ROLES: readonly string[] = [OWNER_ROLE, ...Object.values(SERVICE_ROLES)];

/**
 * Privileges on one table per service, as SQL privilege lists ('SELECT, INSERT',
 * 'SELECT, UPDATE ("state")'). A service not named gets none.
 */
export type TableGrants = Partial<Record<ServiceName, string>>;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const PRIVILEGES = /^(SELECT|INSERT|UPDATE|DELETE|USAGE)( \("[a-z_][a-z0-9_]*"(, "[a-z_][a-z0-9_]*")*\))?(, (SELECT|INSERT|UPDATE|DELETE|USAGE)( \("[a-z_][a-z0-9_]*"(, "[a-z_][a-z0-9_]*")*\))?)*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${JSON.stringify(name)} is not a plain identifier`);
  return `"${name}"`;
}

function privileges(list: string): string {
  if (!PRIVILEGES.test(list)) throw new Error(`${JSON.stringify(list)} is not a privilege list`);
  return list;
}

/**
 * Sets the services' privileges on `table` to exactly `grants`: every service role's privileges
 * (table and column level) are revoked first, so running it again, or with fewer privileges,
 * leaves exactly what it lists. A migration that adds a table calls it once for that table.
 */
export async function grantTable(q: QueryRunner, table: string, grants: TableGrants): Promise<void> {
  const all = Object.values(SERVICE_ROLES).map(identifier).join(', ');
  const target = identifier(table);
  const lists = Object.entries(grants).map(([service, list]) => [SERVICE_ROLES[service as ServiceName], privileges(list)] as const);
  const columns = (await q.query(`SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, [target])) as { attname: string }[];
  await q.query(`REVOKE ALL ON TABLE ${target} FROM ${all}`);
  if (columns.length) await q.query(`REVOKE ALL (${columns.map((c) => identifier(c.attname)).join(', ')}) ON TABLE ${target} FROM ${all}`);
  for (const [role, list] of lists) await q.query(`GRANT ${list} ON TABLE ${target} TO ${identifier(role)}`);
}

/**
 * Sets the services' privileges on a sequence: USAGE (nextval, as a serial column's default
 * needs), 'USAGE, UPDATE' where a service also calls setval.
 */
export async function grantSequence(q: QueryRunner, sequence: string, grants: TableGrants): Promise<void> {
  const all = Object.values(SERVICE_ROLES).map(identifier).join(', ');
  const target = identifier(sequence);
  const lists = Object.entries(grants).map(([service, list]) => [SERVICE_ROLES[service as ServiceName], privileges(list)] as const);
  await q.query(`REVOKE ALL ON SEQUENCE ${target} FROM ${all}`);
  for (const [role, list] of lists) await q.query(`GRANT ${list} ON SEQUENCE ${target} TO ${identifier(role)}`);
}

/** The roles of DATABASE_ROLES the server does not have. */
export async function missingDatabaseRoles(q: Pick<QueryRunner, 'query'>): Promise<string[]> {
  const rows = (await q.query(`SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])`, [DATABASE_ROLES])) as { rolname: string }[];
  const present = new Set(rows.map((r) => r.rolname));
  return DATABASE_ROLES.filter((r) => !present.has(r));
}

/** `url` with `role` as its user and no password: for servers that trust local connections (development, tests). */
export function databaseUrlAs(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = '';
  return u.toString();
}

/** `url` as `service`'s role connects (databaseUrlAs): what the local stack, the demo and the test harnesses give each service. */
export function serviceDatabaseUrl(url: string, service: ServiceName): string {
  return databaseUrlAs(url, SERVICE_ROLES[service]);
}
