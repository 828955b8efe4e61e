import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import type { AuditAnchor, AuditVerification } from '@rabt/audit';
import { CliException, CliExceptionCode, ExitCode } from '../cli/cli.exception';
import { capturedOutput } from '../testing/cli-test.helpers';
import type { AuditChain } from './audit-chain';
import { addAuditCommands } from './audit.commands';

const HASH = 'ab'.repeat(32);
const ANCHOR: AuditAnchor = { chain: 'rabt', seq: 40, hash: HASH, at: '2026-11-30T10:00:00.000Z' };
const INTACT: AuditVerification = { ok: true, checked: 42, firstBreak: null, anchor: ANCHOR, anchors: 3, head: { seq: 42, hash: HASH }, unsealed: 0 };

async function rabt(args: string[], chain: Partial<AuditChain>, open?: () => Promise<never>) {
  const output = capturedOutput();
  const sessions = { opened: 0, closed: 0 };
  const program = new Command('rabt').exitOverride();
  addAuditCommands(program, {
    output,
    open:
      open ??
      (async () => {
        sessions.opened++;
        return { chain: { anchorTopic: 'rabt.audit.anchors', verify: vi.fn(), anchor: vi.fn(), ...chain } as AuditChain, close: async () => void sessions.closed++ };
      }),
  });
  process.exitCode = undefined;
  await program.parseAsync(['node', 'rabt', ...args]);
  const code = process.exitCode;
  process.exitCode = undefined;
  return { code, output, sessions };
}

describe('rabt audit verify', () => {
  it('an intact chain: exit 0, the head and the anchors that agree', async () => {
    const run = await rabt(['audit', 'verify'], { verify: async () => INTACT });
    expect(run.code).toBe(ExitCode.OK);
    expect(run.output.stdout.join('\n')).toMatch(/✓ audit chain intact: 42 records \(seq 1 to 42\), head hash abab/);
    expect(run.output.stdout.join('\n')).toMatch(/3 anchor\(s\) on rabt\.audit\.anchors agree; the newest: seq 40/);
    expect(run.sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('a broken chain: exit 4 (AUDIT_BROKEN) with the first broken seq and what is wrong', async () => {
    const broken = { ...INTACT, ok: false, checked: 9, firstBreak: { seq: 10, problem: 'record 10 is missing' } };
    const run = await rabt(['audit', 'verify'], { verify: async () => broken });
    expect(run.code).toBe(ExitCode.AUDIT_BROKEN);
    expect(run.code).toBe(4);
    expect(run.output.stdout).toEqual(['✗ audit chain broken at seq 10: record 10 is missing', '  records 1 to 9 verified; nothing from seq 10 on can be trusted']);
    expect(run.sessions.closed).toBe(1);
  });

  it('--json prints the verification as is, and the exit code still tells', async () => {
    const broken = { ...INTACT, ok: false, checked: 9, firstBreak: { seq: 10, problem: 'x' } };
    const run = await rabt(['audit', 'verify', '--json'], { verify: async () => broken });
    expect(JSON.parse(run.output.stdout.join('\n'))).toEqual(broken);
    expect(run.code).toBe(4);
  });

  it('warns that truncation goes unseen without an anchor, and counts unsealed records', async () => {
    const run = await rabt(['audit', 'verify'], { verify: async () => ({ ...INTACT, anchor: null, anchors: 0, unsealed: 5 }) });
    expect(run.code).toBe(ExitCode.OK);
    expect(run.output.stderr.join('\n')).toMatch(/no anchor of this chain .* cannot be detected/);
    expect(run.output.stderr.join('\n')).toMatch(/5 record\(s\) written but not sealed yet/);
  });

  it('Kafka or the database unreachable: exit 3 with the reason, no stack trace', async () => {
    const run = await rabt(['audit', 'verify'], {}, async () => {
      throw new CliException(CliExceptionCode.KAFKA_UNREACHABLE, 'Kafka at 127.0.0.1:1 did not answer');
    });
    expect(run.code).toBe(3);
    expect(run.output.stderr).toEqual(['rabt: Kafka at 127.0.0.1:1 did not answer']);
  });
});

describe('rabt audit anchor', () => {
  it('prints the anchor it published', async () => {
    const run = await rabt(['audit', 'anchor'], { anchor: async () => ANCHOR });
    expect(run.code).toBe(ExitCode.OK);
    expect(run.output.stdout).toEqual([`✓ anchored rabt at seq 40, hash ${HASH}, 2026-11-30T10:00:00.000Z (on rabt.audit.anchors)`]);
  });

  it('an empty log has nothing to anchor; --json says null', async () => {
    expect((await rabt(['audit', 'anchor'], { anchor: async () => null })).output.stdout).toEqual(['nothing to anchor: the audit log has no records yet']);
    expect(JSON.parse((await rabt(['audit', 'anchor', '--json'], { anchor: async () => null })).output.stdout.join('\n'))).toEqual({ anchor: null, topic: 'rabt.audit.anchors' });
  });
});
