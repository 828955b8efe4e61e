import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource, EntityManager } from 'typeorm';
import { createKafka, EventProducer, TopicAdmin } from '@rabt/kafka';
import { createDataSource, migrateDatabase } from '@rabt/persistence';
import { createThrowawayDatabase, testStack, uniqueName, type ThrowawayDatabase } from '@rabt/testing';
import {
  AuditAnchorTopic,
  AuditSealer,
  AuditTrail,
  auditRecordHash,
  chainName,
  listAuditRecords,
  readSealed,
  sealAuditRecords,
  verifyAuditChain,
  type AuditAnchor,
  type AuditRecordInput,
  type AuditVerification,
} from '../src';

let db: ThrowawayDatabase;
let dataSource: DataSource;
const config = () => ({ url: db.url, poolMax: 4, ssl: false });
const N = 20;

const input = (i: number): AuditRecordInput => ({
  actor: i % 2 ? 'agency:mom' : 'service:dispatcher',
  action: i % 2 ? 'event.published' : 'delivery.attempted',
  subject: `event:urn:rabt:agency:mom/e-${i}`,
  reason: i % 5 === 0 ? `reason ${i}` : null,
  details: { i, nested: { attempt: i, status: 200 } },
});

/**
 * Tampers as a database superuser would (triggers off for the session), verifies inside the same
 * transaction, and rolls it all back so the next test finds the chain intact.
 */
async function tampered(statements: string[], anchors: readonly AuditAnchor[] = []): Promise<AuditVerification> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await runner.query(`SET LOCAL session_replication_role = replica`);
    for (const sql of statements) await runner.query(sql);
    return await verifyAuditChain(runner.manager, anchors);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

const headAnchor = async (m: DataSource | EntityManager, seq: number): Promise<AuditAnchor> => {
  const [row] = (await m.query(`SELECT hash FROM audit_record WHERE seq = $1`, [seq])) as { hash: string }[];
  return { chain: await chainName(m), seq, hash: row!.hash, at: new Date().toISOString() };
};

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_audit');
  await migrateDatabase(config(), 'audit-test');
  dataSource = createDataSource(config(), 'audit-test');
  await dataSource.initialize();
  const trail = new AuditTrail(dataSource);
  for (let i = 1; i <= N; i += 4) await trail.recordMany([i, i + 1, i + 2, i + 3].map(input));
  expect((await sealAuditRecords(dataSource)).sealed).toBe(N);
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await db?.drop();
});

describe('audit chain', () => {
  it('a clean chain verifies, seq 1..N without gaps', async () => {
    const result = await verifyAuditChain(dataSource, []);
    expect(result).toMatchObject({ ok: true, checked: N, firstBreak: null, unsealed: 0, head: { seq: N } });
    const seqs = (await dataSource.query(`SELECT seq FROM audit_record ORDER BY seq`)) as { seq: string }[];
    expect(seqs.map((s) => Number(s.seq))).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  });

  it('lists the newest records first and pages back by seq', async () => {
    const first = await listAuditRecords(dataSource, { limit: 5 });
    expect(first.map((r) => r.seq)).toEqual([20, 19, 18, 17, 16]);
    expect(first[0]).toMatchObject({ actor: 'service:dispatcher', action: 'delivery.attempted', subject: 'event:urn:rabt:agency:mom/e-20', reason: 'reason 20', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await listAuditRecords(dataSource, { limit: 3, before: 16 })).map((r) => r.seq)).toEqual([15, 14, 13]);
  });

  it('sealing again seals nothing: a sealed record keeps its seal', async () => {
    expect(await sealAuditRecords(dataSource)).toMatchObject({ sealed: 0, locked: true, head: { seq: N } });
  });

  it.each([
    ['actor', `actor = 'agency:rop'`],
    ['action', `action = 'event.routed'`],
    ['subject', `subject = 'event:forged'`],
    ['reason (null to text)', `reason = 'later excuse'`],
    ['details', `details = jsonb_set(details, '{nested,status}', '500')`],
    ['recorded_at (one microsecond)', `recorded_at = recorded_at + interval '1 microsecond'`],
    ['prev_hash', `prev_hash = repeat('1', 64)`],
    ['hash', `hash = repeat('2', 64)`],
  ])('editing the %s of record 7 breaks the chain at 7', async (_field, set) => {
    const result = await tampered([`UPDATE audit_record SET ${set} WHERE seq = 7`]);
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.seq).toBe(7);
    expect(result.checked).toBe(6);
  });

  it('editing record 7 and giving it a correct new hash still breaks the chain, at 8 (whose prev_hash no longer matches)', async () => {
    const [seven] = await readSealed(dataSource, 6, 1);
    const forged = { ...seven!, subject: 'event:forged' };
    const result = await tampered([`UPDATE audit_record SET subject = 'event:forged', hash = '${auditRecordHash(forged.prevHash, forged)}' WHERE seq = 7`]);
    expect(result.firstBreak).toMatchObject({ seq: 8, problem: expect.stringMatching(/prev_hash is not the hash of record 7/) });
  });

  it('editing, deleting or moving ANY record (each of 1..N in turn) is found exactly there (the last one through the anchor)', async () => {
    const anchor = await headAnchor(dataSource, N);
    for (let seq = 1; seq <= N; seq++) {
      expect((await tampered([`UPDATE audit_record SET details = details || '{"x":1}' WHERE seq = ${seq}`], [anchor])).firstBreak?.seq, `edit ${seq}`).toBe(seq);
      expect((await tampered([`DELETE FROM audit_record WHERE seq = ${seq}`], [anchor])).firstBreak?.seq, `delete ${seq}`).toBe(seq);
      if (seq < N) {
        const swap = [`UPDATE audit_record SET seq = 1000000 WHERE seq = ${seq}`, `UPDATE audit_record SET seq = ${seq} WHERE seq = ${seq + 1}`, `UPDATE audit_record SET seq = ${seq + 1} WHERE seq = 1000000`];
        expect((await tampered(swap, [anchor])).firstBreak?.seq, `swap ${seq} and ${seq + 1}`).toBe(seq);
      }
    }
  });

  it('deleting a middle record (10) is found at 10', async () => {
    const result = await tampered([`DELETE FROM audit_record WHERE seq = 10`]);
    expect(result.firstBreak).toMatchObject({ seq: 10, problem: expect.stringMatching(/record 10 is missing/) });
  });

  it('moving a record: swapping the seq of 12 and 13 is found at 12', async () => {
    const result = await tampered([
      `UPDATE audit_record SET seq = 1000000 WHERE seq = 12`,
      `UPDATE audit_record SET seq = 12 WHERE seq = 13`,
      `UPDATE audit_record SET seq = 13 WHERE seq = 1000000`,
    ]);
    expect(result.firstBreak?.seq).toBe(12);
  });

  it('swapping the content of two records (seq and hashes left in place) is found at the first of them', async () => {
    const result = await tampered([
      `UPDATE audit_record a SET actor = b.actor, action = b.action, subject = b.subject, reason = b.reason, details = b.details, recorded_at = b.recorded_at
         FROM (SELECT seq, actor, action, subject, reason, details, recorded_at FROM audit_record WHERE seq IN (3, 4)) b
        WHERE a.seq IN (3, 4) AND b.seq = 7 - a.seq`,
    ]);
    expect(result.firstBreak?.seq).toBe(3);
  });

  it('deleting the tail (16..20) passes the walk alone, and is caught by an anchor at 20: first break 16', async () => {
    const anchor = await headAnchor(dataSource, N);
    expect((await tampered([`DELETE FROM audit_record WHERE seq >= 16`])).ok).toBe(true); // why anchors exist
    const result = await tampered([`DELETE FROM audit_record WHERE seq >= 16`], [anchor]);
    expect(result.firstBreak).toMatchObject({ seq: 16, problem: expect.stringMatching(/chain ends at 15 .* reach 20/) });
    expect(result.anchor).toEqual(anchor);
  });

  it('a forger who rewrites record 5 and re-chains everything after it is caught by the anchor', async () => {
    const anchors = [await headAnchor(dataSource, 3), await headAnchor(dataSource, N)];
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SET LOCAL session_replication_role = replica`);
      await runner.query(`UPDATE audit_record SET subject = 'event:forged', seq = NULL, prev_hash = NULL, hash = NULL WHERE seq = 5`);
      await runner.query(`UPDATE audit_record SET seq = NULL, prev_hash = NULL, hash = NULL WHERE seq > 5`);
      await runner.query(`SET LOCAL session_replication_role = origin`);
      // re-seal 5..20 the honest way, over the forged content (the sealer's own code)
      const sealed = await sealAuditRecords({ transaction: (work: (m: EntityManager) => Promise<unknown>) => work(runner.manager) } as unknown as DataSource);
      expect(sealed.sealed).toBe(N - 4);
      expect((await verifyAuditChain(runner.manager, [])).ok).toBe(true); // consistent on its own
      const result = await verifyAuditChain(runner.manager, anchors);
      expect(result.firstBreak).toMatchObject({ seq: N, problem: expect.stringMatching(/differs from the anchor/) });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await verifyAuditChain(dataSource, anchors)).ok).toBe(true);
  });

  it('a record written in a transaction that rolls back never appears', async () => {
    const trail = new AuditTrail(dataSource);
    await expect(
      dataSource.transaction(async (m) => {
        await trail.record({ actor: 'cli:test', action: 'agency.key-issued', subject: 'key:rolled-back' }, m);
        throw new Error('the audited change failed');
      }),
    ).rejects.toThrow(/audited change failed/);
    await sealAuditRecords(dataSource);
    expect(await dataSource.query(`SELECT 1 FROM audit_record WHERE subject = 'key:rolled-back'`)).toEqual([]);
    expect(await verifyAuditChain(dataSource, [])).toMatchObject({ ok: true, checked: N });
  });
});

describe('concurrent writers and sealers', () => {
  it('writers on several connections and two sealers at once make one gap-free chain that verifies', async () => {
    const writers = await Promise.all(Array.from({ length: 4 }, async (_, w) => {
      const ds = createDataSource(config(), `audit-writer-${w}`);
      await ds.initialize();
      return ds;
    }));
    const sealers = await Promise.all(Array.from({ length: 2 }, async (_, s) => {
      const ds = createDataSource(config(), `audit-sealer-${s}`);
      await ds.initialize();
      return ds;
    }));
    try {
      let writing = true;
      const sealing = sealers.map(async (ds) => {
        while (writing) await sealAuditRecords(ds, { batch: 7 });
      });
      await Promise.all(
        writers.map(async (ds, w) => {
          const trail = new AuditTrail(ds);
          for (let i = 0; i < 25; i++) {
            await ds.transaction(async (m) => {
              await trail.record({ actor: `service:writer-${w}`, action: 'delivery.attempted', subject: `delivery:w${w}-${i}` }, m);
              await trail.recordMany([{ actor: `service:writer-${w}`, action: 'event.routed', subject: `event:w${w}-${i}` }], m);
            });
          }
        }),
      );
      writing = false;
      await Promise.all(sealing);
      await sealAuditRecords(sealers[0]!);
    } finally {
      await Promise.all([...writers, ...sealers].map((ds) => ds.destroy()));
    }
    const total = N + 4 * 25 * 2;
    const seqs = ((await dataSource.query(`SELECT seq FROM audit_record ORDER BY seq`)) as { seq: string | null }[]).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(await verifyAuditChain(dataSource, [])).toMatchObject({ ok: true, checked: total, unsealed: 0 });
  });
});

describe('anchors on Kafka', () => {
  it('the sealer seals, publishes the head to the anchors topic and verify reads it back; cutting the tail is then found', async () => {
    const topic = uniqueName('rabt.audit.anchors.test');
    const kafka = createKafka({ ...testStack.kafkaConfigFor('ops'), clientId: 'audit-test', defaultPartitions: 1 });
    const producer = new EventProducer(kafka);
    const admin = new TopicAdmin(kafka, { partitions: 1, replicationFactor: 1 });
    const sealer = new AuditSealer(dataSource, { sealer: true, sealIntervalMs: 60_000, anchorIntervalMs: 60_000, anchorTopic: topic }, producer, admin, kafka);
    try {
      await sealer.onApplicationBootstrap();
      // Reading a topic's configuration is administration (DESCRIBE_CONFIGS): operator-admin, not the sealer's principal.
      const inspector = new TopicAdmin(createKafka({ ...testStack.kafkaConfigFor('operator-admin'), clientId: 'audit-test-admin' }), { partitions: 1, replicationFactor: 1 });
      expect((await inspector.describeTopic(topic).finally(() => inspector.disconnect())).config['cleanup.policy']).toBe('compact');
      await new AuditTrail(dataSource).record({ actor: 'cli:test', action: 'agency.grant-changed', subject: 'grant:rop/x/subscribe' });
      const anchor = await sealer.anchorNow();
      const n = ((await dataSource.query(`SELECT count(*)::int AS n FROM audit_record`)) as { n: number }[])[0]!.n;
      expect(anchor).toMatchObject({ chain: await chainName(dataSource), seq: n });
      expect(await sealer.anchorNow({ onlyIfMoved: true })).toBeNull(); // the head did not move
      expect(await new AuditAnchorTopic(kafka, topic).read(anchor!.chain)).toEqual([anchor]);
      expect(await sealer.verify()).toMatchObject({ ok: true, checked: n, anchor, anchors: 1 });

      const anchors = await new AuditAnchorTopic(kafka, topic).read(anchor!.chain);
      const cut = await tampered([`DELETE FROM audit_record WHERE seq > ${n - 3}`], anchors);
      expect(cut.firstBreak?.seq).toBe(n - 2);
    } finally {
      await sealer.onModuleDestroy();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    }
  });
});
