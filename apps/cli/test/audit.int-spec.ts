// `rabt audit` against a real database and the real broker: anchor, verify, then tamper (as a
// superuser would) and verify again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditRecords } from '@rabt/audit';
import { createDataSource, migrateDatabase, serviceDatabaseUrl } from '@rabt/persistence';
import { createThrowawayDatabase, testStack, uniqueName, type ThrowawayDatabase } from '@rabt/testing';
import type { DataSource } from 'typeorm';
import { ExitCode } from '../src/cli/cli.exception';
import { capturedOutput } from '../src/testing/cli-test.helpers';
import { openAuditChain, type AuditChainSession } from '../src/audit/audit-chain';
import { runAuditAnchor, runAuditVerify } from '../src/audit/audit.command';

let db: ThrowawayDatabase;
let dataSource: DataSource;
let session: AuditChainSession;

beforeAll(async () => {
  db = await createThrowawayDatabase('rabt_cli_audit');
  await migrateDatabase({ url: db.url, poolMax: 2, ssl: false }, 'cli-audit-test');
  dataSource = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'cli-audit-test');
  await dataSource.initialize();
  await appendAuditRecords(
    dataSource,
    Array.from({ length: 12 }, (_, i) => ({ actor: 'cli:test', action: 'agency.key-issued' as const, subject: `key:${i + 1}`, details: { i } })),
  );
  session = await openAuditChain({ DATABASE_URL: serviceDatabaseUrl(db.url, 'cli'), ...testStack.kafkaEnv('cli'), AUDIT_ANCHOR_TOPIC: uniqueName('rabt.audit.anchors.cli') });
});

afterAll(async () => {
  await session?.close();
  await dataSource?.destroy();
  await db?.drop();
});

describe('rabt audit', () => {
  it('anchor seals and prints the head; verify then finds the chain intact with that anchor (exit 0)', async () => {
    const anchored = capturedOutput();
    expect(await runAuditAnchor(session.chain, { json: true }, anchored)).toBe(ExitCode.OK);
    expect(JSON.parse(anchored.stdout.join('\n')).anchor).toMatchObject({ seq: 12, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const verified = capturedOutput();
    expect(await runAuditVerify(session.chain, { json: true }, verified)).toBe(ExitCode.OK);
    expect(JSON.parse(verified.stdout.join('\n'))).toMatchObject({ ok: true, checked: 12, anchors: 1, anchor: { seq: 12 } });
  });

  it('a superuser who deletes the last records is caught by the anchor: exit 4, first break at the first missing seq', async () => {
    await dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`DELETE FROM audit_record WHERE seq > 9`);
    });
    const output = capturedOutput();
    expect(await runAuditVerify(session.chain, { json: false }, output)).toBe(ExitCode.AUDIT_BROKEN);
    expect(output.stdout[0]).toMatch(/^✗ audit chain broken at seq 10: the chain ends at 9 but the anchor of .* saw it reach 12/);
  });
});
