// Re-wraps every webhook signing secret under the primary key of the master keyring, so that an
// old key can leave the ring (RABT_SECRET_KEYS). The sealed columns are exactly these two of the
// subscription table: nothing else in Rabt is sealed with the SecretBox.
import type { EntityManager } from 'typeorm';
import { appendAuditRecords } from '@rabt/audit';
import { LEGACY_SECRET_KEY_ID, SecretBoxError, type SecretBox } from '@rabt/auth';
import { webhookSecretContext } from './webhook-secret';

/** Every column that holds a SecretBox-sealed value, by table. */
export const SEALED_COLUMNS = [
  { table: 'subscription', column: 'webhook_secret_ciphertext' },
  { table: 'subscription', column: 'previous_webhook_secret_ciphertext' },
] as const;

/** SQL: the key id a sealed column value names (`legacy` for v1). */
const keyIdSql = (column: string) => `CASE WHEN "${column}" LIKE 'v1:%' THEN '${LEGACY_SECRET_KEY_ID}' ELSE split_part("${column}", ':', 2) END`;

/** The prefix every value sealed under `keyId` starts with. */
const prefixOf = (keyId: string) => (keyId === LEGACY_SECRET_KEY_ID ? 'v1:' : `v2:${keyId}:`);

/** How many sealed values each key id holds, over every sealed column. */
export async function countSealedByKey(manager: EntityManager): Promise<Record<string, number>> {
  const parts = SEALED_COLUMNS.map((c) => `SELECT ${keyIdSql(c.column)} AS key_id FROM "${c.table}" WHERE "${c.column}" IS NOT NULL`);
  const rows = (await manager.query(`SELECT key_id, count(*)::int AS n FROM (${parts.join(' UNION ALL ')}) s GROUP BY key_id ORDER BY key_id`)) as { key_id: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.key_id, r.n]));
}

export interface ResealOptions {
  /** Rows per transaction (each batch commits on its own, with its audit record). */
  readonly batchSize?: number;
  /** Recorded in the audit log. */
  readonly actor: string;
  /** Called after each committed batch, e.g. to report progress. */
  readonly onBatch?: (done: ResealResult) => void;
}

export interface ResealResult {
  /** The key everything was resealed under. */
  readonly primaryKeyId: string;
  /** Values resealed, by the key id they were under. */
  readonly resealed: Record<string, number>;
  /** Values that did not open (their key is not in the ring, or they were tampered with), by key id; left as they were. */
  readonly failed: Record<string, number>;
  readonly batches: number;
}

interface Row {
  id: string;
  webhook_secret_ciphertext: string | null;
  previous_webhook_secret_ciphertext: string | null;
}

const add = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/**
 * Reseals, under the box's primary key, every sealed value that is under another key. Works in
 * batches of rows in id order, each batch one transaction that locks its rows (FOR UPDATE, so a
 * concurrent secret rotation waits), rewrites them and appends one audit record with the counts
 * and key ids (never key material). Resumable and idempotent: values already under the primary
 * key are never selected, so a run that was killed is finished by running it again, and a value
 * is only ever sealed from its plaintext, never wrapped twice. A value that does not open is
 * counted in `failed` and left unchanged.
 */
export async function resealWebhookSecrets(manager: EntityManager, box: SecretBox, options: ResealOptions): Promise<ResealResult> {
  const batchSize = options.batchSize ?? 100;
  const primary = box.primaryKeyId;
  const prefix = prefixOf(primary);
  const resealed: Record<string, number> = {};
  const failed: Record<string, number> = {};
  let batches = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  const stale = (column: string) => `("${column}" IS NOT NULL AND left("${column}", length($1)) <> $1)`;
  for (;;) {
    const last = await manager.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT id, webhook_secret_ciphertext, previous_webhook_secret_ciphertext FROM "subscription"
          WHERE id > $2 AND (${stale('webhook_secret_ciphertext')} OR ${stale('previous_webhook_secret_ciphertext')})
          ORDER BY id LIMIT $3 FOR UPDATE`,
        [prefix, after, batchSize],
      )) as Row[];
      if (rows.length === 0) return undefined;
      const batch: { from: Record<string, number>; failed: Record<string, number> } = { from: {}, failed: {} };
      for (const row of rows) {
        const next: Partial<Row> = {};
        for (const column of ['webhook_secret_ciphertext', 'previous_webhook_secret_ciphertext'] as const) {
          const sealed = row[column];
          if (sealed === null) continue;
          let keyId: string;
          try {
            keyId = box.keyIdOf(sealed);
            const again = box.reseal(sealed, webhookSecretContext(row.id));
            if (again === undefined) continue;
            next[column] = again;
            add(batch.from, keyId);
          } catch (e) {
            if (!(e instanceof SecretBoxError)) throw e;
            add(batch.failed, sealed.startsWith('v2:') ? sealed.split(':')[1]! : sealed.startsWith('v1:') ? LEGACY_SECRET_KEY_ID : '(malformed)');
          }
        }
        if (Object.keys(next).length > 0) {
          await m.query(
            `UPDATE "subscription" SET webhook_secret_ciphertext = COALESCE($2, webhook_secret_ciphertext), previous_webhook_secret_ciphertext = COALESCE($3, previous_webhook_secret_ciphertext) WHERE id = $1`,
            [row.id, next.webhook_secret_ciphertext ?? null, next.previous_webhook_secret_ciphertext ?? null],
          );
        }
      }
      const count = Object.values(batch.from).reduce((a, b) => a + b, 0);
      if (count > 0) {
        await appendAuditRecords(m, [
          {
            actor: options.actor,
            action: 'secrets.resealed',
            subject: 'secrets:webhook-signing',
            details: { toKeyId: primary, resealed: batch.from, failed: batch.failed, rows: rows.length },
          },
        ]);
      }
      for (const [k, n] of Object.entries(batch.from)) resealed[k] = (resealed[k] ?? 0) + n;
      for (const [k, n] of Object.entries(batch.failed)) failed[k] = (failed[k] ?? 0) + n;
      return rows[rows.length - 1]!.id;
    });
    if (last === undefined) break;
    after = last;
    batches += 1;
    options.onBatch?.({ primaryKeyId: primary, resealed: { ...resealed }, failed: { ...failed }, batches });
  }
  return { primaryKeyId: primary, resealed, failed, batches };
}
