// Wires `rabt audit verify|anchor` to commander. Each command opens the database and Kafka, runs,
// and closes them; errors map to exit codes in run-command.ts.
import type { Command } from 'commander';
import type { CliOutput, ExitCode } from '../cli/cli.exception';
import { runCommand } from '../cli/run-command';
import type { AuditChain, AuditChainSession } from './audit-chain';
import { runAuditAnchor, runAuditVerify } from './audit.command';

export interface AuditCommandDeps {
  readonly output: CliOutput;
  readonly open: () => Promise<AuditChainSession>;
}

export function addAuditCommands(program: Command, deps: AuditCommandDeps): void {
  const { output } = deps;
  const run = (action: (chain: AuditChain) => Promise<ExitCode>) =>
    runCommand(async () => {
      const session = await deps.open();
      try {
        return await action(session.chain);
      } finally {
        await session.close();
      }
    }, output);
  const audit = program.command('audit').description('the hash-chained audit log (DATABASE_URL) and its anchors on Kafka (KAFKA_BROKERS)');
  audit
    .command('verify')
    .description('walk the chain and check it against its anchors; exit 4 and the first broken seq if anything was edited, deleted, reordered or cut off')
    .option('--json', 'print the result as JSON')
    .action((o: { json?: boolean }) => run((chain) => runAuditVerify(chain, { json: o.json === true }, output)));
  audit
    .command('anchor')
    .description('seal what is unsealed and publish the chain head to the anchors topic now; prints the anchor')
    .option('--json', 'print the anchor as JSON')
    .action((o: { json?: boolean }) => run((chain) => runAuditAnchor(chain, { json: o.json === true }, output)));
}
