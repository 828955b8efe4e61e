// `rabt kafka acls plan|apply`: the service principals' ACLs (libs/kafka service-acls) on any
// cluster, with operator credentials (KAFKA_BROKERS, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE,
// KAFKA_SSL_KEY_FILE of operator-admin). Idempotent: apply creates what is missing and deletes
// the service principals' entries nothing asks for any more; other principals are left alone.
import type { Command } from 'commander';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { applyAcls, catalogueInventory, createKafka, describeAcl, KAFKA_SERVICES, planAcls, serviceAcls, servicePrincipal, type AclPlan } from '@rabt/kafka';
import { CliException, CliExceptionCode, ExitCode, type CliOutput } from '../cli/cli.exception';
import { runCommand } from '../cli/run-command';
import { CLI_NAME } from '../config/cli.config';

export interface KafkaAclsOptions {
  readonly apply: boolean;
  readonly workflowsDir: string;
  readonly json: boolean;
  readonly quiet: boolean;
}

const AUTHORIZATION_ERRORS = new Set(['CLUSTER_AUTHORIZATION_FAILED', 'SECURITY_DISABLED', 'TOPIC_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED']);

export async function runKafkaAcls(options: KafkaAclsOptions, output: CliOutput, env?: Record<string, string | undefined>): Promise<ExitCode> {
  const config = loadConfig(CLI_NAME, { kafka: kafkaFragment(`${CLI_NAME}-kafka-acls`) }, env);
  const brokers = config.printable['KAFKA_BROKERS'] ?? '';
  const kafka = createKafka(config.values.kafka, undefined, { retries: 2 });
  const desired = serviceAcls(catalogueInventory(options.workflowsDir));
  const principals = KAFKA_SERVICES.map(servicePrincipal);
  let plan: AclPlan;
  try {
    plan = options.apply ? await applyAcls(kafka, desired, principals) : await planAcls(kafka, desired, principals);
  } catch (e) {
    const type = (e as { type?: string }).type ?? '';
    if (AUTHORIZATION_ERRORS.has(type) || /SECURITY_DISABLED|AUTHORIZATION/i.test((e as Error).message)) {
      throw new CliException(CliExceptionCode.KAFKA_NOT_AUTHORIZED, `Kafka at ${brokers} refused to manage ACLs (${type || (e as Error).message}): use operator-admin's certificate on a secured cluster`);
    }
    throw new CliException(CliExceptionCode.KAFKA_UNREACHABLE, `Kafka at ${brokers} did not answer (set KAFKA_BROKERS and the KAFKA_SSL_* files): ${(e as Error).message}`);
  }
  if (options.json) {
    output.out(JSON.stringify({ applied: options.apply, create: plan.create, remove: plan.remove, keep: plan.keep.length }, null, 2));
    return ExitCode.OK;
  }
  const verb = options.apply ? { create: 'created', remove: 'deleted' } : { create: 'to create', remove: 'to delete' };
  if (!options.quiet) {
    for (const a of plan.create) output.out(`+ ${describeAcl(a)}`);
    for (const a of plan.remove) output.out(`- ${describeAcl(a)}`);
  }
  output.err(`kafka acls on ${brokers}: ${plan.create.length} ${verb.create}, ${plan.remove.length} ${verb.remove}, ${plan.keep.length} unchanged`);
  return ExitCode.OK;
}

export function addKafkaCommands(program: Command, deps: { output: CliOutput; workflowsDir: (dir?: string) => string }): void {
  const acls = program
    .command('kafka')
    .description("Kafka access control: each service's principal (certificate OU=service) and its ACLs (KAFKA_BROKERS, KAFKA_SSL_* of operator-admin)")
    .command('acls')
    .description('the service ACLs computed from the catalogue and the workflow definitions');
  for (const [name, apply, description] of [
    ['plan', false, 'print the ACL entries apply would create (+) and delete (-); changes nothing'],
    ['apply', true, "create the missing entries and delete the service principals' stale ones (idempotent)"],
  ] as const) {
    acls
      .command(name)
      .description(description)
      .option('--workflows-dir <dir>', 'folder of the workflow definitions (what the workflow service consumes)')
      .option('--json', 'print the plan as JSON')
      .option('--quiet', 'print only the summary line')
      .action((o: { workflowsDir?: string; json?: boolean; quiet?: boolean }) =>
        runCommand(() => runKafkaAcls({ apply, workflowsDir: deps.workflowsDir(o.workflowsDir), json: o.json === true, quiet: o.quiet === true }, deps.output), deps.output),
      );
  }
}
