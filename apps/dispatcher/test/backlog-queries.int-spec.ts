// The dispatcher's two per-key-order queries (the claim, and the intake's insert-and-claim) on a
// real Postgres with a backlog the table's statistics have not seen: autovacuum is off for the
// table and nothing runs ANALYZE, as for a backlog that grew in a burst. Each query must read
// about one index entry per candidate, not every open delivery of the subscription per
// candidate (a quadratic plan made a claim of 32 read 52,128 rows in bench:delivery), and must
// still keep per-key order. Row counts come from EXPLAIN ANALYZE: they do not depend on speed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { claimStatement, DeliveryClaimsRepository } from '../src/delivery/delivery-claims.repository';
import type { NewDelivery } from '../src/intake/inbox-record';
import { InboxRepository, intakeStatement } from '../src/intake/inbox.repository';

const OPEN = 3000;
const SHARED_KEY = 'key-shared';

let database: ThrowawayDatabase;
let db: DataSource;
const subscriptionId = randomUUID();

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_backlog_test');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'backlog-test');
  db = createDataSource({ url: database.url, poolMax: 4, ssl: false }, 'backlog-test');
  await db.initialize();
  await seedAgencies(db);
  await db.query(`ALTER TABLE delivery SET (autovacuum_enabled = false)`);
  await db.query(`INSERT INTO subscription (id, agency_code, event_type, inbox) VALUES ($1, 'moci', 'mom.employee.left-work-reported', true)`, [subscriptionId]);
  // The open backlog, with nothing before it: one delivery per key, and three of one shared key.
  await db.query(
    `INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, ordering_key, payload, state, inbox_topic, inbox_partition, inbox_offset, next_attempt_at)
     SELECT 'open-' || g, $1, 'moci', 'mom', 'open-' || g, 'mom.employee.left-work-reported', CASE WHEN g > $2 THEN $3 ELSE 'key-' || g END, '{}'::jsonb, 'pending', 'rabt.inbox.moci', 0, g, now() - interval '1 minute'
       FROM generate_series(1, $2 + 3) g ORDER BY g`,
    [subscriptionId, OPEN, SHARED_KEY],
  );
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('per-key order with a backlog the statistics have not seen', () => {
  it('the claim reads about one index entry per candidate, not the backlog per candidate', async () => {
    const statement = claimStatement(32, 60_000, 32, new Map());
    const read = await rowsRead(statement.sql, statement.params);
    // A quadratic plan reads the open backlog (3,003) for each of the 32 claimed: about 96,000; a
    // scan of the table to update the 32, 3,003.
    expect(read).toBeLessThan(OPEN / 10);
  });

  it('the intake reads about one index entry per new delivery, and claims only a key\'s first open one', async () => {
    const batch: NewDelivery[] = [
      ...Array.from({ length: 100 }, (_, i) => newDelivery(`new-${i}`, `new-key-${i}`)),
      ...Array.from({ length: 20 }, (_, i) => newDelivery(`behind-${i}`, `key-${i + 1}`)), // an open one of the key is in the table
      newDelivery('twin-a', 'twin-key'),
      newDelivery('twin-b', 'twin-key'), // behind twin-a, in the same run
      newDelivery('open-5', 'key-5'), // a re-read record: there already
    ];
    const claim = { limit: 1000, leaseMs: 60_000, capacities: new Map<string, number>(), defaultCapacity: 1000 };
    const statement = intakeStatement(batch, claim);
    const read = await rowsRead(statement.sql, statement.params);
    // A quadratic plan reads the open backlog for each of the 123: about 370,000.
    expect(read).toBeLessThan(20 * batch.length);

    const { inserted, claimed } = await new InboxRepository(db).insert(batch, claim);
    expect(inserted).toBe(batch.length - 1);
    expect(claimed.map((c) => c.id).sort()).toEqual([...Array.from({ length: 100 }, (_, i) => `new-${i}`), 'twin-a'].sort());
    // Each new delivery's routing decision is audited by the same statement; the re-read one's is not.
    const routed = (await db.query(`SELECT details->>'delivery' AS delivery FROM audit_record WHERE action = 'event.routed'`)) as { delivery: string }[];
    expect(routed.map((r) => r.delivery).sort()).toEqual(batch.filter((d) => d.id !== 'open-5').map((d) => d.id).sort());
  });

  it('the claim takes every key\'s first open delivery and none behind it', async () => {
    const claimed = await new DeliveryClaimsRepository(db).claim(10_000, 60_000, 10_000, new Map());
    const ids = new Set(claimed.map((c) => c.id));
    // The backlog's first per key (3,000 + the shared key's first), and the intake's pending ones whose key has nothing open before them.
    expect(ids.has(`open-${OPEN + 1}`)).toBe(true);
    expect(ids.has(`open-${OPEN + 2}`)).toBe(false);
    expect(ids.has(`open-${OPEN + 3}`)).toBe(false);
    expect(ids.has('behind-0')).toBe(false); // key-1's open-1 is claimed, still open
    expect(ids.has('twin-b')).toBe(false); // twin-a is claimed by the intake, still open
    expect(claimed).toHaveLength(OPEN + 1);
  });
});

/**
 * Rows the statement read from delivery (returned or filtered out, over all loops), run inside a
 * transaction that is rolled back. EXPLAIN reports per-loop averages, rounded, so lookups that
 * mostly find nothing count as none; a scan per candidate counts in full.
 */
async function rowsRead(sql: string, params: unknown[]): Promise<number> {
  const runner = db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const [row] = (await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)) as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
    return deliveryRows(row!['QUERY PLAN'][0].Plan);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

function deliveryRows(node: PlanNode): number {
  const scansDelivery = node['Relation Name'] === 'delivery' && /Scan/.test(node['Node Type']);
  const own = scansDelivery ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'] : 0;
  // A join filter discards pairs read from its inner side: rows read, whichever table.
  const joined = (node['Rows Removed by Join Filter'] ?? 0) * node['Actual Loops'];
  return own + joined + (node.Plans ?? []).reduce((sum, child) => sum + deliveryRows(child), 0);
}

function newDelivery(id: string, orderingKey: string): NewDelivery {
  return {
    id,
    subscriptionId,
    agencyCode: 'moci',
    eventSource: 'mom',
    eventId: id,
    eventType: 'mom.employee.left-work-reported',
    transactionId: null,
    orderingKey,
    payload: {} as NewDelivery['payload'],
    inboxTopic: 'rabt.inbox.moci',
    inboxPartition: 0,
    inboxOffset: '9000',
  };
}
