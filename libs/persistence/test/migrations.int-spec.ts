import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { randomUUID } from 'node:crypto';
import {
  AgencyEntity,
  createDataSource,
  DeadLetterEntity,
  DeliveryAttemptEntity,
  DeliveryEntity,
  MIGRATIONS,
  migrateDatabase,
  SubscriptionEntity,
  WorkflowEventEntity,
  WorkflowOutboxEntity,
  WorkflowStepEntity,
  WorkflowTimerEntity,
  WorkflowTransactionEntity,
} from '../src';

let db: ThrowawayDatabase;
let dataSource: DataSource;
const config = () => ({ url: db.url, poolMax: 4, ssl: false });

beforeAll(async () => {
  db = await createThrowawayDatabase();
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await db.drop();
});

describe('migrations', () => {
  it('two migrators racing on an empty database apply each migration exactly once (advisory lock)', async () => {
    const [a, b] = await Promise.all([migrateDatabase(config(), 'migrator-a'), migrateDatabase(config(), 'migrator-b')]);
    expect([...a, ...b].sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(await migrateDatabase(config(), 'migrator-c')).toEqual([]);
  });

  it('leaves the schema exactly as the entities describe it (no pending changes)', async () => {
    dataSource = createDataSource(config(), 'schema-check');
    await dataSource.initialize();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('writes and reads a row through TypeORM', async () => {
    const agencies = dataSource.getRepository(AgencyEntity);
    await agencies.save({ code: 'mom', nameEn: 'Ministry of Manpower', nameAr: 'وزارة العمل', status: 'active' });
    const read = await agencies.findOneByOrFail({ code: 'mom' });
    expect(read).toMatchObject({ code: 'mom', nameEn: 'Ministry of Manpower', nameAr: 'وزارة العمل', status: 'active' });
    expect(read.createdAt).toBeInstanceOf(Date);
  });

  it('the database refuses what the domain forbids, whatever the caller', async () => {
    const agencies = dataSource.getRepository(AgencyEntity);
    await expect(agencies.insert({ code: 'Bad Code', nameEn: 'x', nameAr: 'x' })).rejects.toThrow(/CHK_agency_code/);
    await expect(agencies.insert({ code: 'rop', nameEn: 'x', nameAr: 'x', status: 'closed' as never })).rejects.toThrow(/CHK_agency_status/);
  });

  it('a subscription must deliver somewhere, keep a sealed secret exactly when it has a webhook, and not duplicate a target', async () => {
    const subscriptions = dataSource.getRepository(SubscriptionEntity);
    const base = { agencyCode: 'mom', eventType: 'rop.residence.absconding-registered' };
    const webhook = { webhookUrl: 'https://mom.example/hook', webhookSecretCiphertext: 'v1:a:b:c' };
    await expect(subscriptions.insert({ id: randomUUID(), ...base, inbox: false })).rejects.toThrow(/CHK_subscription_delivery/);
    await expect(subscriptions.insert({ id: randomUUID(), ...base, webhookUrl: 'https://mom.example/hook' })).rejects.toThrow(/CHK_subscription_webhook_secret/);
    await expect(subscriptions.insert({ id: randomUUID(), ...base, inbox: true, projection: [] })).rejects.toThrow(/CHK_subscription_projection/);
    await expect(subscriptions.insert({ id: randomUUID(), ...base, inbox: true, state: 'paused' as never })).rejects.toThrow(/CHK_subscription_state/);
    await subscriptions.insert({ id: randomUUID(), ...base, ...webhook, inbox: true, projection: ['workerCivilNumber'] });
    await expect(subscriptions.insert({ id: randomUUID(), ...base, ...webhook })).rejects.toThrow(/UQ_subscription_webhook/);
    await expect(subscriptions.insert({ id: randomUUID(), ...base, inbox: true })).rejects.toThrow(/UQ_subscription_inbox/);
    await subscriptions.insert({ id: randomUUID(), ...base, ...webhook, webhookUrl: 'https://mom.example/other' });
    expect(await subscriptions.countBy({ agencyCode: 'mom' })).toBe(2);
  });

  it('deliveries: one per webhook-id, ordered by seq, a known state, attempts and one dead letter each, removed with their delivery', async () => {
    const deliveries = dataSource.getRepository(DeliveryEntity);
    const base = {
      subscriptionId: randomUUID(),
      agencyCode: 'rop',
      eventSource: 'urn:rabt:agency:mom',
      eventType: 'mom.employee.left-work-reported',
      orderingKey: '118364205',
      payload: { specversion: '1.0' },
      inboxTopic: 'rabt.inbox.rop',
      inboxPartition: 0,
    };
    await deliveries.insert({ ...base, id: 'msg_a', eventId: 'e1', inboxOffset: '1' });
    await deliveries.insert({ ...base, id: 'msg_b', eventId: 'e2', inboxOffset: '2' });
    await expect(deliveries.insert({ ...base, id: 'msg_a', eventId: 'e1', inboxOffset: '3' })).rejects.toThrow(/PK_delivery/);
    await expect(deliveries.insert({ ...base, id: 'msg_c', eventId: 'e3', inboxOffset: '4', state: 'lost' as never })).rejects.toThrow(/CHK_delivery_state/);
    const [a, b] = await deliveries.find({ order: { seq: 'ASC' } });
    expect(BigInt(b!.seq)).toBeGreaterThan(BigInt(a!.seq));
    expect(a).toMatchObject({ state: 'pending', attempts: 0, leaseUntil: null, lastStatus: null });
    await dataSource.getRepository(DeliveryAttemptEntity).insert({ deliveryId: 'msg_a', attemptNo: 1, startedAt: new Date(), status: 500, latencyMs: 12, error: 'HTTP 500' });
    const deadLetters = dataSource.getRepository(DeadLetterEntity);
    const letter = { deliveryId: 'msg_a', subscriptionId: base.subscriptionId, agencyCode: 'rop', eventType: base.eventType, eventSource: base.eventSource, eventId: 'e1', payload: {}, lastError: 'HTTP 500', attempts: 1 };
    await deadLetters.insert({ ...letter });
    await expect(deadLetters.insert({ ...letter })).rejects.toThrow(/UQ_dead_letter_delivery/);
    await deliveries.delete({ id: 'msg_a' });
    expect(await dataSource.getRepository(DeliveryAttemptEntity).count()).toBe(0);
    expect(await deadLetters.count()).toBe(0);
  });

  it('workflow: one row per taken-in (transaction, source, id), one outbox row per event id, only known states', async () => {
    const events = dataSource.getRepository(WorkflowEventEntity);
    const event = { transactionId: 'tx-1', eventSource: 'urn:rabt:agency:rop', eventId: 'e1', eventType: 'rop.residence.absconding-registered', agency: 'rop', eventTime: new Date(), receivedAt: new Date(), outcome: 'held' as const };
    await events.insert(event);
    await expect(events.insert(event)).rejects.toThrow(/PK_workflow_event/);
    await events.insert({ ...event, transactionId: 'tx-2' });
    await expect(events.insert({ ...event, eventId: 'e2', outcome: 'lost' as never })).rejects.toThrow(/CHK_workflow_event_outcome/);
    const transactions = dataSource.getRepository(WorkflowTransactionEntity);
    const tx = { id: 'tx-1', workflow: 'employee-left-work', workflowVersion: 1, state: 'running' as const, triggerType: 'mom.employee.left-work-reported', triggerAgency: 'mom', withdrawalType: null, withdrawalAgency: null, parties: ['mom', 'rop'], startedAt: new Date(), completedAt: null, withdrawnAt: null, updatedAt: new Date() };
    await transactions.insert(tx);
    expect((await transactions.findOneByOrFail({ id: 'tx-1' })).parties).toEqual(['mom', 'rop']);
    await expect(transactions.insert({ ...tx, id: 'tx-3', state: 'paused' as never })).rejects.toThrow(/CHK_workflow_transaction_state/);
    await expect(dataSource.getRepository(WorkflowStepEntity).insert({ transactionId: 'tx-1', seq: 0, name: 's', agency: 'rop', awaits: 't', slaMs: '1000', state: 'done' as never })).rejects.toThrow(/CHK_workflow_step_state/);
    await expect(dataSource.getRepository(WorkflowTimerEntity).insert({ transactionId: 'tx-1', stepSeq: 0, kind: 'alarm' as never, dueAt: new Date() })).rejects.toThrow(/CHK_workflow_timer_kind/);
    const outbox = dataSource.getRepository(WorkflowOutboxEntity);
    const row = { eventId: 'id-1', transactionId: 'tx-1', eventType: 'rabt.transaction.completed', occurredAt: new Date(), data: { a: 1 } };
    await outbox.insert(row);
    await expect(outbox.insert(row)).rejects.toThrow(/UQ_workflow_outbox_event/);
  });

  it('audit_record: inserted unsealed, sealed once, never changed or removed afterwards (trigger)', async () => {
    const [row] = (await dataSource.query(`INSERT INTO audit_record (actor, action, subject) VALUES ('cli:test', 'agency.key-issued', 'key:k1') RETURNING id`)) as { id: string }[];
    await expect(dataSource.query(`INSERT INTO audit_record (actor, action, subject, seq, prev_hash, hash) VALUES ('x', 'y', 'z', 9, repeat('0', 64), repeat('0', 64))`)).rejects.toThrow(/inserted unsealed/);
    await expect(dataSource.query(`UPDATE audit_record SET subject = 'key:other' WHERE id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    await dataSource.query(`UPDATE audit_record SET seq = 1, prev_hash = repeat('0', 64), hash = repeat('a', 64) WHERE id = $1`, [row!.id]);
    await expect(dataSource.query(`UPDATE audit_record SET hash = repeat('b', 64) WHERE id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`UPDATE audit_record SET reason = 'later' WHERE id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM audit_record WHERE id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE audit_record`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`UPDATE audit_record SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    expect(await dataSource.query(`SELECT seq, hash FROM audit_record`)).toEqual([{ seq: '1', hash: 'a'.repeat(64) }]);
  });

  it('every migration can be reverted in order', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'rabt_migrations'`);
    expect(tables).toEqual([]);
  });
});
