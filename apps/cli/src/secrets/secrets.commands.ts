// `rabt secrets reseal`: re-wraps every secret sealed at rest (webhook signing secrets) under the
// primary key of the master keyring (RABT_SECRET_KEYS), so that an old key can be removed.
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { secretKeyFragment, type SecretBox } from '@rabt/auth';
import { databaseFragment, loadConfig } from '@rabt/config';
import { createDataSource } from '@rabt/persistence';
import { countSealedByKey, resealWebhookSecrets } from '@rabt/routing';
import { cliActor } from '../cli/cli-actor';
import { CliException, CliExceptionCode, ExitCode, type CliOutput } from '../cli/cli.exception';
import { withDatabaseSession } from '../cli/database-session';
import { runCommand } from '../cli/run-command';
import { CLI_NAME } from '../config/cli.config';
import { json, table } from '../agencies/text.format';

export interface SecretsSession {
  readonly dataSource: DataSource;
  readonly box: SecretBox;
  close(): Promise<void>;
}

export interface SecretsCommandDeps {
  readonly output: CliOutput;
  readonly open: () => Promise<SecretsSession>;
}

/** Connects to DATABASE_URL with the keyring of RABT_SECRET_KEYS (or RABT_SECRET_KEY). */
export async function openSecrets(env?: Record<string, string | undefined>): Promise<SecretsSession> {
  const config = loadConfig(CLI_NAME, { database: databaseFragment(), secrets: secretKeyFragment() }, env);
  const { database, secrets } = config.values;
  const dataSource = createDataSource({ ...database, poolMax: 1 }, `${CLI_NAME}-cli`);
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new CliException(CliExceptionCode.DATABASE_UNREACHABLE, `database ${config.printable['DATABASE_URL']} is unreachable (set DATABASE_URL): ${(e as Error).message}`);
  }
  return { dataSource, box: secrets.box, close: () => dataSource.destroy() };
}

async function withSecrets<T>(open: () => Promise<SecretsSession>, action: (s: SecretsSession) => Promise<T>): Promise<T> {
  return withDatabaseSession(open, 'subscription table', action);
}

const state = (box: SecretBox, keyId: string) => (keyId === box.primaryKeyId ? 'primary' : box.keyIds.includes(keyId) ? 'in the ring' : 'NOT IN THE RING');

/** Counts per key id of every sealed value; exit 1 when some are under a key the ring lacks. */
export async function runSecretsStatus(s: SecretsSession, o: { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const counts = await countSealedByKey(s.dataSource.manager);
  const missing = Object.keys(counts).filter((k) => !s.box.keyIds.includes(k));
  const toReseal = Object.entries(counts).reduce((n, [k, c]) => (k === s.box.primaryKeyId ? n : n + c), 0);
  if (o.json) {
    output.out(json({ primaryKeyId: s.box.primaryKeyId, keyIds: s.box.keyIds, sealedByKeyId: counts, toReseal, missingKeyIds: missing }));
  } else {
    const rows = Object.entries(counts).map(([k, n]) => [k, String(n), state(s.box, k)]);
    if (rows.length === 0) output.out('no sealed secrets');
    else for (const line of table(['KEY ID', 'SEALED', 'KEY'], rows)) output.out(line);
    output.out(`${toReseal} to reseal under the primary key ${s.box.primaryKeyId}`);
  }
  if (missing.length > 0) {
    output.err(`! ${missing.map((k) => counts[k]).reduce((a, b) => a! + b!, 0)} sealed secrets are under key ids not in the keyring (${missing.join(', ')}): add those keys back to RABT_SECRET_KEYS`);
    return ExitCode.FAILED;
  }
  return ExitCode.OK;
}

/** Reseals under the primary key; exit 1 when some values did not open (left unchanged). */
export async function runSecretsReseal(s: SecretsSession, o: { json: boolean; batchSize: number }, output: CliOutput): Promise<ExitCode> {
  const result = await resealWebhookSecrets(s.dataSource.manager, s.box, {
    actor: cliActor(),
    batchSize: o.batchSize,
    onBatch: (r) => {
      if (!o.json) output.err(`… batch ${r.batches}: ${Object.values(r.resealed).reduce((a, b) => a + b, 0)} resealed so far`);
    },
  });
  const total = Object.values(result.resealed).reduce((a, b) => a + b, 0);
  const failed = Object.values(result.failed).reduce((a, b) => a + b, 0);
  if (o.json) output.out(json(result));
  else {
    const from = Object.entries(result.resealed).map(([k, n]) => `${n} from ${k}`);
    output.out(`✓ ${total} sealed secrets resealed under key ${result.primaryKeyId}${from.length ? ` (${from.join(', ')})` : ''}`);
  }
  if (failed > 0) {
    output.err(`! ${failed} sealed secrets did not open and were left unchanged (${Object.entries(result.failed).map(([k, n]) => `${n} under ${k}`).join(', ')}): is their key missing from RABT_SECRET_KEYS?`);
    return ExitCode.FAILED;
  }
  return ExitCode.OK;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new CliException(CliExceptionCode.CONFIG_INVALID, `--batch-size must be a whole number from 1 to 10000, not ${value}`);
  return n;
};

export function addSecretsCommands(program: Command, deps: SecretsCommandDeps): void {
  const { output } = deps;
  const run = (action: (s: SecretsSession) => Promise<ExitCode>) => runCommand(() => withSecrets(deps.open, action), output);
  const secrets = program
    .command('secrets')
    .description('secrets sealed at rest under the master keyring RABT_SECRET_KEYS (direct database access through DATABASE_URL)');
  secrets
    .command('reseal')
    .description('re-wrap every sealed secret under the primary key, in batches; resumable and idempotent, audited. Then the old key can leave the ring')
    .option('--dry-run', 'change nothing: print how many sealed secrets each key id holds')
    .option('--batch-size <n>', 'rows per transaction (1 to 10000)', '100')
    .option('--json', 'print the result as JSON')
    .action((o: { dryRun?: boolean; batchSize: string; json?: boolean }) =>
      run((s) => (o.dryRun ? runSecretsStatus(s, { json: o.json === true }, output) : runSecretsReseal(s, { json: o.json === true, batchSize: positiveInt(o.batchSize) }, output))),
    );
}
