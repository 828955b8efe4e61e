// The module as a service composes it: config fragments, KafkaModule, PersistenceModule and
// AuditModule in a Nest context. With AUDIT_SEALER=true the sealer seals on its own and anchors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseFragment, kafkaFragment, loadConfig, loggingFragment, RabtConfigModule } from '@rabt/config';
import { KafkaModule } from '@rabt/kafka';
import { migrateDatabase, PersistenceModule } from '@rabt/persistence';
import { createThrowawayDatabase, eventually, testStack, uniqueName, type ThrowawayDatabase } from '@rabt/testing';
import { auditFragment, AuditModule, AuditSealer, AuditTrail } from '../src';

let db: ThrowawayDatabase;
let app: INestApplicationContext;

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_audit_module');
  const config = loadConfig(
    'audit-test',
    { database: databaseFragment(), kafka: kafkaFragment('audit-test'), logging: loggingFragment('audit-test'), audit: auditFragment({ sealer: true }) },
    { DATABASE_URL: db.url, ...testStack.kafkaEnv('ops'), AUDIT_SEAL_INTERVAL_MS: '100', AUDIT_ANCHOR_TOPIC: uniqueName('rabt.audit.anchors.module') },
  );
  await migrateDatabase(config.values.database, 'audit-module-test');
  @Module({ imports: [RabtConfigModule.forRoot(config), KafkaModule.forRoot(), PersistenceModule.forRoot(), AuditModule] })
  class TestModule {}
  app = await NestFactory.createApplicationContext(TestModule, { logger: false });
  await app.init();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('AuditModule in a service', () => {
  it('records written through AuditTrail are sealed by the sealer on its own; anchorNow publishes the head and verify agrees', async () => {
    const trail = app.get(AuditTrail);
    const dataSource = app.get(DataSource);
    await dataSource.transaction(async (m) => {
      await trail.record({ actor: 'operator:alice', action: 'operator.signed-in', subject: 'operator:alice' }, m);
      await trail.recordMany([{ actor: 'operator:alice', action: 'dead-letter.discarded', subject: 'dead-letter:1', reason: 'duplicate of dead-letter:2' }], m);
    });
    await eventually(async () => ((await dataSource.query(`SELECT count(*)::int AS n FROM audit_record WHERE seq IS NULL`)) as { n: number }[])[0]!.n === 0, 15_000, 100);
    const sealer = app.get(AuditSealer);
    expect(sealer.enabled).toBe(true);
    const anchor = await sealer.anchorNow();
    expect(anchor).toMatchObject({ seq: 2 });
    expect(await sealer.verify()).toMatchObject({ ok: true, checked: 2, anchors: 1, anchor, unsealed: 0 });
  });
});
