// Wires `rabt agencies|keys|grants` to commander. Each command opens the registry's database
// (DATABASE_URL), runs, and closes it; errors map to exit codes in run-command.ts.
import { Argument, InvalidArgumentError, Option, type Command } from 'commander';
import { API_KEY_ROLES, GRANT_PERMISSIONS, type ApiKeyRole, type GrantPermission } from '@rabt/persistence';
import { CliException, CliExceptionCode, type CliOutput, type ExitCode } from '../cli/cli.exception';
import { runCommand } from '../cli/run-command';
import { withAgencyRegistry, type AgencyRegistry, type AgencyRegistrySession } from './agency-registry';
import { runAgenciesAdd, runAgenciesList, runAgenciesSeed, runAgenciesSetStatus } from './agencies.command';
import { runCertIssue, runCertList, runCertRevoke } from './certificates.command';
import { DEFAULT_GRANTED_BY, runGrantsAdd, runGrantsList, runGrantsRemove } from './grants.command';
import { runKeysIssue, runKeysList, runKeysPepperStatus, runKeysRevoke } from './keys.command';

export interface AgencyRegistryCommandDeps {
  readonly output: CliOutput;
  readonly open: () => Promise<AgencyRegistrySession>;
}

interface Json {
  json?: boolean;
}

function collectRole(value: string, previous: ApiKeyRole[]): ApiKeyRole[] {
  if (!(API_KEY_ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`a role is ${API_KEY_ROLES.join(' or ')}.`);
  return [...new Set([...previous, value as ApiKeyRole])];
}

export function addAgencyRegistryCommands(program: Command, deps: AgencyRegistryCommandDeps): void {
  const { output } = deps;
  const run = (action: (registry: AgencyRegistry) => Promise<ExitCode>) => runCommand(() => withAgencyRegistry(deps.open, action), output);
  const withJson = (command: Command) => command.option('--json', 'print the result as JSON');
  const code = (name: string) => new Argument(`<${name}>`, 'agency code: a lower-case letter, then 1 to 15 lower-case letters or digits (mom, moci, …)');

  const agencies = program.command('agencies').description('the agencies of Rabt (direct database access through DATABASE_URL)');
  withJson(
    agencies
      .command('add')
      .description('register an agency, active, with the default rate limits')
      .addArgument(code('code'))
      .requiredOption('--name-en <name>', 'name in English')
      .requiredOption('--name-ar <name>', 'name in Arabic')
      .option('--certificate', "also issue the agency's first client certificate (Rabt's CA: RABT_CA_CERT_FILE/RABT_CA_KEY_FILE or RABT_PKI_DIR)")
      .option('--out-dir <dir>', 'with --certificate: write the certificate, private key and CA certificate there instead of printing them'),
  ).action((agency: string, o: Json & { nameEn: string; nameAr: string; certificate?: boolean; outDir?: string }) => {
    if (o.outDir !== undefined && !o.certificate) return runCommand(() => {
      throw new CliException(CliExceptionCode.CONFIG_INVALID, '--out-dir goes with --certificate');
    }, output);
    return run((r) =>
      runAgenciesAdd(r, { code: agency, nameEn: o.nameEn, nameAr: o.nameAr, json: o.json === true, certificate: o.certificate ? { outDir: o.outDir } : undefined }, output),
    );
  });
  withJson(agencies.command('list').description('every agency, with its status and rate limit')).action((o: Json) => run((r) => runAgenciesList(r, { json: o.json === true }, output)));
  for (const [verb, status, what] of [
    ['suspend', 'suspended', "suspend an agency: its keys stop authenticating (within 5 s)"],
    ['activate', 'active', 'activate a suspended agency again'],
  ] as const) {
    withJson(agencies.command(verb).description(what).addArgument(code('code'))).action((agency: string, o: Json) =>
      run((r) => runAgenciesSetStatus(r, { code: agency, status, json: o.json === true }, output)),
    );
  }
  withJson(agencies.command('seed').description('add the demo agencies that are missing (mom, rop, moci, moh, mm, epay, ita)')).action((o: Json) =>
    run((r) => runAgenciesSeed(r, { json: o.json === true }, output)),
  );

  const cert = agencies.command('cert').description("agencies' client certificates from Rabt's CA (mutual TLS to the gateway, Kafka pull mode): issue, list, revoke");
  withJson(
    cert
      .command('issue')
      .description("issue a client certificate (EC P-256) for an agency; its private key is shown or written once, never stored")
      .addArgument(code('agency'))
      .option('--out-dir <dir>', 'write <agency>-<id>.crt, <agency>-<id>.key (0600) and ca.crt there instead of printing them')
      .option('--days <days>', 'validity in days (1 to 825)', (v: string) => {
        if (!/^\d{1,4}$/.test(v)) throw new InvalidArgumentError('a whole number of days.');
        return Number(v);
      }),
  ).action((agency: string, o: Json & { outDir?: string; days?: number }) => run((r) => runCertIssue(r, { agency, days: o.days, outDir: o.outDir, json: o.json === true }, output)));
  withJson(cert.command('list').description('certificates, revoked and expired ones included, of one agency or all').argument('[agency]', 'agency code')).action(
    (agency: string | undefined, o: Json) => run((r) => runCertList(r, { agency, json: o.json === true }, output)),
  );
  withJson(
    cert
      .command('revoke')
      .description("revoke a certificate for good: the gateway refuses it within 1 s and its Kafka ACLs are dropped")
      .argument('<certificateId>', 'the certificate id (32 hex digits), as listed')
      .requiredOption('--reason <reason>', 'why, recorded with the revocation and in the audit log'),
  ).action((certificateId: string, o: Json & { reason: string }) => run((r) => runCertRevoke(r, { certificateId, reason: o.reason, json: o.json === true }, output)));

  const keys = program.command('keys').description("agencies' API keys: issue (the token is shown once), list, revoke");
  withJson(
    keys
      .command('issue')
      .description('issue an API key and print its token, once (hashed under the primary pepper of RABT_API_KEY_PEPPERS)')
      .addArgument(code('agency'))
      .option('--label <label>', 'what the key is for, e.g. "back office 2026" (default: the date)')
      .addOption(new Option('--role <role>', 'integrator (may register schemas) or admin (manages the registry); repeat for both').argParser(collectRole).default([], 'none'))
      .option('--expires <when>', 'when the key stops working: an ISO-8601 time (2027-01-31T00:00:00Z) or a duration (90d), at most RABT_API_KEY_MAX_TTL_DAYS (397) ahead (default: never)'),
  ).action((agency: string, o: Json & { label?: string; role: ApiKeyRole[]; expires?: string }) =>
    run((r) => runKeysIssue(r, { agency, label: o.label, roles: o.role, expires: o.expires, json: o.json === true }, output)),
  );
  withJson(keys.command('list').description("an agency's keys, revoked ones included (never secrets)").addArgument(code('agency'))).action((agency: string, o: Json) =>
    run((r) => runKeysList(r, { agency, json: o.json === true }, output)),
  );
  withJson(keys.command('revoke').description('revoke a key for good (services stop accepting it within 5 s)').argument('<keyId>', 'the key id, as listed')).action((keyId: string, o: Json) =>
    run((r) => runKeysRevoke(r, { keyId, json: o.json === true }, output)),
  );
  withJson(keys.command('pepper-status').description('live keys per pepper version (RABT_API_KEY_PEPPERS): an old pepper may go once it holds none')).action((o: Json) =>
    run((r) => runKeysPepperStatus(r, { json: o.json === true }, output)),
  );

  const grants = program.command('grants').description('who may publish or subscribe to which event type (owners publish their own types without a grant)');
  const grantArguments = (command: Command) =>
    command
      .addArgument(code('agency'))
      .argument('<eventType>', 'an event type of the catalogue, e.g. mom.employee.left-work-reported')
      .addArgument(new Argument('<permission>', 'publish or subscribe').choices(GRANT_PERMISSIONS));
  withJson(
    grantArguments(grants.command('add').description('let an agency publish or subscribe to an event type')).option(
      '--granted-by <agency>',
      'who granted it, recorded with the grant (normally the type owner)',
      DEFAULT_GRANTED_BY,
    ),
  ).action((agency: string, eventType: string, permission: GrantPermission, o: Json & { grantedBy: string }) =>
    run((r) => runGrantsAdd(r, { agency, eventType, permission, grantedBy: o.grantedBy, json: o.json === true }, output)),
  );
  withJson(grantArguments(grants.command('remove').description('take a grant away'))).action((agency: string, eventType: string, permission: GrantPermission, o: Json) =>
    run((r) => runGrantsRemove(r, { agency, eventType, permission, json: o.json === true }, output)),
  );
  withJson(grants.command('list').description('grants, optionally of one agency or one event type').option('--agency <code>', 'only grants held by this agency').option('--type <eventType>', 'only grants on this event type')).action(
    (o: Json & { agency?: string; type?: string }) => run((r) => runGrantsList(r, { agency: o.agency, eventType: o.type, json: o.json === true }, output)),
  );
}
