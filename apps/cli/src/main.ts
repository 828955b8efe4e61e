// `rabt`: wires commander to the command functions; no logic lives here.
import { Command, Option } from 'commander';
import { CATALOGUE_GENERATED_FILE } from '@rabt/contracts/codegen';
import { openAgencyRegistry } from './agencies/agency-registry';
import { addAgencyRegistryCommands } from './agencies/agency-registry.commands';
import { runAsyncApi } from './asyncapi/asyncapi.command';
import { openAuditChain } from './audit/audit-chain';
import { addAuditCommands } from './audit/audit.commands';
import { ASYNCAPI_FILE } from './asyncapi/asyncapi.document';
import { consoleOutput } from './cli/cli.exception';
import { reportFailure, runCommand } from './cli/run-command';
import { findWorkspaceRoot, userPath, workspaceVersion } from './cli/workspace';
import { loadCliConfig } from './config/cli.config';
import { runContractsGenerate } from './contracts/contracts.command';
import { openOperatorStore } from './operators/operators.command';
import { readSecret } from './cli/secret.input';
import { addKafkaCommands } from './kafka/kafka-acls.commands';
import { addOpsCommands } from './ops/ops-cli.commands';
import { gitReader } from './schemas/git-baseline';
import { registryClientFrom } from './schemas/registry.client';
import { runSchemasCheck } from './schemas/schemas-check.command';
import { runSchemasPush } from './schemas/schemas-push.command';
import { addSecretsCommands, openSecrets } from './secrets/secrets.commands';
import { openSubscriptionStore } from './subscriptions/subscription-store';
import { addSubscriptionCommands } from './subscriptions/subscriptions.commands';

interface DirOptions {
  schemasDir?: string;
  fixturesDir?: string;
}
interface RegistryOptions {
  registry?: string | boolean;
  agency?: string;
  apiKey?: string;
  json?: boolean;
}

const root = findWorkspaceRoot();
const output = consoleOutput;
const schemasDir = (o: DirOptions) => userPath(o.schemasDir, root, 'schemas');
const schemasDirOption = () => new Option('--schemas-dir <dir>', 'folder holding catalogue.json and the .avsc files').hideHelp();
const credentials = (cmd: Command) =>
  cmd
    .option('--agency <code>', 'agency code for the registry (default: RABT_AGENCY)')
    .option('--api-key <key>', "one of the agency's API keys (default: RABT_API_KEY)")
    .option('--json', 'print the result as JSON');
const registryClient = (o: RegistryOptions) =>
  registryClientFrom(loadCliConfig({ registry: typeof o.registry === 'string' ? o.registry : undefined, agency: o.agency, apiKey: o.apiKey }));

const program = new Command('rabt')
  .description(
    'Rabt tooling: generate the contracts, check and register the event schemas, write the AsyncAPI document, manage the agency registry (agencies, API keys, grants), subscriptions and operator accounts, verify the audit log; sign in to the ops service to inspect and replay dead letters and follow transactions.',
  )
  .exitOverride()
  .showHelpAfterError();

const contracts = program.command('contracts').description('the generated TypeScript contracts (@rabt/contracts)');
contracts
  .command('generate')
  .description(`write ${CATALOGUE_GENERATED_FILE} from schemas/`)
  .option('--check', 'do not write; exit 1 if the file is stale')
  .addOption(schemasDirOption())
  .addOption(new Option('--out <file>', 'file to write').hideHelp())
  .action((o: DirOptions & { check?: boolean; out?: string }) =>
    runCommand(() => runContractsGenerate({ schemasDir: schemasDir(o), outFile: userPath(o.out, root, CATALOGUE_GENERATED_FILE), check: o.check === true, workspaceRoot: root }, output), output),
  );

const schemas = program.command('schemas').description('the Avro schemas of schemas/ and the schema registry');
credentials(
  schemas
    .command('check')
    .description('check every schema: it parses, follows the catalogue rules, accepts ok/ and rejects not-ok/ fixtures, and is compatible with git and the registry')
    .option('--git-base <ref>', "check compatibility with the schemas at this git revision (under each type's level)")
    .option('--registry [url]', 'check compatibility with the latest registered versions (default URL: RABT_REGISTRY_URL)')
    .addOption(schemasDirOption())
    .addOption(new Option('--fixtures-dir <dir>', 'folder of the golden fixtures').hideHelp()),
).action((o: DirOptions & RegistryOptions & { gitBase?: string }) =>
  runCommand(
    () =>
      runSchemasCheck(
        {
          schemasDir: schemasDir(o),
          fixturesDir: userPath(o.fixturesDir, root, 'test/fixtures'),
          gitBase: o.gitBase,
          registry: o.registry === undefined ? undefined : registryClient(o),
          json: o.json === true,
        },
        gitReader(root),
        output,
      ),
    output,
  ),
);
credentials(
  schemas
    .command('push')
    .description('register every schema under its subject (<topic>-value)')
    .option('--registry <url>', 'schema registry URL (default: RABT_REGISTRY_URL)')
    .addOption(schemasDirOption()),
).action((o: DirOptions & RegistryOptions) =>
  runCommand(() => runSchemasPush({ schemasDir: schemasDir(o), registry: registryClient(o), json: o.json === true }, output), output),
);

program
  .command('asyncapi')
  .description(`write the AsyncAPI 3.0 document of every topic (default ${ASYNCAPI_FILE})`)
  .option('--out <file>', 'file to write', undefined)
  .option('--check', 'do not write; exit 1 if the file is stale')
  .addOption(schemasDirOption())
  .action((o: DirOptions & { out?: string; check?: boolean }) =>
    runCommand(
      () => runAsyncApi({ schemasDir: schemasDir(o), outFile: userPath(o.out, root, ASYNCAPI_FILE), check: o.check === true, version: workspaceVersion(root), workspaceRoot: root }, output),
      output,
    ),
  );

addAgencyRegistryCommands(program, { output, open: () => openAgencyRegistry() });
addSubscriptionCommands(program, { output, open: () => openSubscriptionStore() });
addOpsCommands(program, { output, openOperators: () => openOperatorStore(), readPassword: (prompt) => readSecret(prompt) });
addAuditCommands(program, { output, open: () => openAuditChain() });
addSecretsCommands(program, { output, open: () => openSecrets() });
addKafkaCommands(program, { output, workflowsDir: (dir) => userPath(dir, root, 'workflows') });

program.parseAsync(process.argv).catch((e: unknown) => {
  process.exitCode = reportFailure(e, output);
});
