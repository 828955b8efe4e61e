// `rabt audit verify|anchor`: check the hash-chained audit log, and anchor its head on Kafka.
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import { json } from '../agencies/text.format';
import type { AuditChain } from './audit-chain';

export async function runAuditVerify(chain: AuditChain, o: { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const result = await chain.verify();
  if (o.json) output.out(json(result));
  else if (result.firstBreak) {
    output.out(`✗ audit chain broken at seq ${result.firstBreak.seq}: ${result.firstBreak.problem}`);
    output.out(`  records 1 to ${result.checked} verified; nothing from seq ${result.firstBreak.seq} on can be trusted`);
  } else {
    const head = result.head ? `${result.checked} records (seq 1 to ${result.head.seq}), head hash ${result.head.hash}` : 'no sealed records yet';
    output.out(`✓ audit chain intact: ${head}`);
    if (result.anchor) output.out(`  ${result.anchors} anchor(s) on ${chain.anchorTopic} agree; the newest: seq ${result.anchor.seq} at ${result.anchor.at}`);
  }
  if (!result.firstBreak && !result.anchor && result.head) {
    output.err(`! no anchor of this chain on ${chain.anchorTopic}: records cut off the end cannot be detected. Run the sealer (AUDIT_SEALER=true) or rabt audit anchor`);
  }
  if (result.unsealed > 0) output.err(`! ${result.unsealed} record(s) written but not sealed yet: they are checked once sealed`);
  return result.firstBreak ? ExitCode.AUDIT_BROKEN : ExitCode.OK;
}

export async function runAuditAnchor(chain: AuditChain, o: { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const anchor = await chain.anchor();
  if (o.json) output.out(json({ anchor, topic: chain.anchorTopic }));
  else if (!anchor) output.out('nothing to anchor: the audit log has no records yet');
  else output.out(`✓ anchored ${anchor.chain} at seq ${anchor.seq}, hash ${anchor.hash}, ${anchor.at} (on ${chain.anchorTopic})`);
  return ExitCode.OK;
}
