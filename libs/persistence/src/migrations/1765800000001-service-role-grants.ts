import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DATABASE_ROLES, grantSequence, grantTable, missingDatabaseRoles, SERVICE_ROLES, type TableGrants } from '../roles/database-roles';

/**
 * What each service's code reads and writes today (docs/security.md, "Database roles", lists
 * the same, with the cross-service writes another issue removes). Nobody is granted UPDATE or
 * DELETE on audit_record except the sealer's seal columns (ops runs the sealer, the CLI's
 * `rabt audit anchor` seals); its trigger refuses anything else to every role anyway.
 */
export const TABLE_GRANTS: Readonly<Record<string, TableGrants>> = {
  agency: {
    // An agency's code (the key every other table refers to) and creation time never change.
    gateway: 'SELECT, INSERT, UPDATE ("name_en", "name_ar", "status", "rate_per_second", "rate_burst", "updated_at")',
    'schema-registry': 'SELECT',
    router: 'SELECT',
    dispatcher: 'SELECT',
    ops: 'SELECT',
    cli: 'SELECT, INSERT, UPDATE ("name_en", "name_ar", "status", "rate_per_second", "rate_burst", "updated_at")',
  },
  agency_api_key: {
    gateway: 'SELECT, INSERT, UPDATE ("revoked_at")',
    'schema-registry': 'SELECT',
    // The expiring-keys warning: which keys, never their hashes.
    ops: 'SELECT ("id", "agency_code", "label", "roles", "created_at", "revoked_at", "expires_at")',
    cli: 'SELECT, INSERT, UPDATE ("revoked_at")',
  },
  // Issued and revoked by ops (Rabt-wide admins) and the CLI; read by the gateway for mutual TLS.
  agency_certificate: {
    gateway: 'SELECT',
    ops: 'SELECT, INSERT, UPDATE ("revoked_at", "revoke_reason")',
    cli: 'SELECT, INSERT, UPDATE ("revoked_at", "revoke_reason")',
  },
  agency_grant: { gateway: 'SELECT, INSERT, DELETE', 'schema-registry': 'SELECT', router: 'SELECT', dispatcher: 'SELECT', ops: 'SELECT', cli: 'SELECT, INSERT, DELETE' },
  gateway_event: { gateway: 'SELECT, INSERT, UPDATE, DELETE', ops: 'SELECT' },
  sr_schema: { 'schema-registry': 'SELECT, INSERT', ops: 'SELECT' },
  sr_subject_version: { 'schema-registry': 'SELECT, INSERT, UPDATE, DELETE', ops: 'SELECT' },
  sr_setting: { 'schema-registry': 'SELECT, INSERT, UPDATE, DELETE', ops: 'SELECT' },
  subscription: {
    gateway: 'SELECT, INSERT, UPDATE, DELETE',
    router: 'SELECT',
    // Cross-service write: the dispatcher disables a subscription whose endpoint is gone.
    dispatcher: 'SELECT, UPDATE ("state", "disabled_reason", "updated_at")',
    ops: 'SELECT',
    cli: 'SELECT, INSERT, UPDATE, DELETE',
  },
  delivery: {
    // The gateway and the CLI end a removed subscription's deliveries through rabt_end_removed_subscription_deliveries only.
    gateway: 'SELECT',
    dispatcher: 'SELECT, INSERT, UPDATE',
    // Cross-service write: replaying a dead letter puts its delivery back in the queue.
    ops: 'SELECT, UPDATE',
  },
  delivery_attempt: { gateway: 'SELECT', dispatcher: 'SELECT, INSERT', ops: 'SELECT' },
  // Cross-service write: ops replays and discards dead letters.
  dead_letter: { dispatcher: 'SELECT, INSERT, UPDATE', ops: 'SELECT, UPDATE' },
  workflow_transaction: { gateway: 'SELECT', workflow: 'SELECT, INSERT, UPDATE', ops: 'SELECT' },
  workflow_step: { gateway: 'SELECT', workflow: 'SELECT, INSERT, UPDATE', ops: 'SELECT' },
  workflow_event: { workflow: 'SELECT, INSERT, UPDATE' },
  workflow_timer: { workflow: 'SELECT, INSERT, UPDATE, DELETE' },
  workflow_outbox: { workflow: 'SELECT, INSERT, UPDATE' },
  workflow_timeline: { gateway: 'SELECT', workflow: 'SELECT, INSERT, DELETE', ops: 'SELECT' },
  audit_record: {
    gateway: 'INSERT',
    'schema-registry': 'INSERT',
    dispatcher: 'INSERT',
    ops: 'SELECT, INSERT, UPDATE ("seq", "prev_hash", "hash")',
    cli: 'SELECT, INSERT, UPDATE ("seq", "prev_hash", "hash")',
  },
  operator: { ops: 'SELECT, INSERT, UPDATE', cli: 'SELECT, INSERT, UPDATE' },
  operator_session: { ops: 'SELECT, INSERT, UPDATE, DELETE', cli: 'SELECT, DELETE' },
  replay_job: { ops: 'SELECT, INSERT, UPDATE' },
  rabt_migrations: {},
};

export const SEQUENCE_GRANTS: Readonly<Record<string, TableGrants>> = {
  sr_schema_id_seq: { 'schema-registry': 'USAGE, UPDATE' },
  delivery_seq_seq: { dispatcher: 'USAGE' },
  delivery_attempt_id_seq: { dispatcher: 'USAGE' },
  workflow_event_seq_seq: { workflow: 'USAGE' },
  workflow_outbox_seq_seq: { workflow: 'USAGE' },
  workflow_timeline_id_seq: { workflow: 'USAGE' },
  audit_record_id_seq: { gateway: 'USAGE', 'schema-registry': 'USAGE', dispatcher: 'USAGE', ops: 'USAGE', cli: 'USAGE' },
  rabt_migrations_id_seq: {},
};

/**
 * Each service's grants (TABLE_GRANTS), re-runnable. Fails, naming them, when the roles do not
 * exist: creating LOGIN roles is the platform's business (passwords from its secret store), so
 * a migration never does it; `stack.sh up`, the demo and the test helpers create them locally.
 * Removing a subscription ends its waiting deliveries through a SECURITY DEFINER function, so
 * the gateway and the CLI need no UPDATE on delivery: it touches only deliveries of a
 * subscription that no longer exists.
 */
export class ServiceRoleGrants1765800000001 implements MigrationInterface {
  name = 'ServiceRoleGrants1765800000001';

  async up(q: QueryRunner): Promise<void> {
    const missing = await missingDatabaseRoles(q);
    if (missing.length) {
      throw new Error(
        `the database roles ${missing.join(', ')} do not exist: create them first (locally \`bash deploy/local/stack.sh up\` does; on a managed server see docs/security.md, "Database roles")`,
      );
    }
    await q.query(`
      CREATE OR REPLACE FUNCTION "rabt_end_removed_subscription_deliveries"(p_subscription uuid) RETURNS integer
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH ended AS (
          UPDATE delivery SET state = 'gone', last_error = 'not attempted: the subscription was removed', lease_until = NULL, lease_token = NULL
           WHERE subscription_id = p_subscription AND state IN ('pending', 'retrying')
             AND NOT EXISTS (SELECT 1 FROM subscription WHERE id = p_subscription)
          RETURNING 1)
        SELECT count(*)::integer FROM ended
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION "rabt_end_removed_subscription_deliveries"(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION "rabt_end_removed_subscription_deliveries"(uuid) TO "${SERVICE_ROLES.gateway}", "${SERVICE_ROLES.cli}"`);
    // PostgreSQL 15 no longer lets PUBLIC create objects in the public schema; older servers do.
    // Where the owner role may not revoke it (the schema belongs to another role), Postgres warns.
    await q.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${DATABASE_ROLES.map((r) => `"${r}"`).join(', ')}`);
    for (const [table, grants] of Object.entries(TABLE_GRANTS)) await grantTable(q, table, grants);
    for (const [sequence, grants] of Object.entries(SEQUENCE_GRANTS)) await grantSequence(q, sequence, grants);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(TABLE_GRANTS)) await grantTable(q, table, {});
    for (const sequence of Object.keys(SEQUENCE_GRANTS)) await grantSequence(q, sequence, {});
    await q.query(`DROP FUNCTION "rabt_end_removed_subscription_deliveries"(uuid)`);
  }
}
