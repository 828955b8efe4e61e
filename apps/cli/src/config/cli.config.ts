import { z } from 'zod';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, fragment, loadConfig } from '@rabt/config';

export const CLI_NAME = 'rabt';
export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081';

/** Where the schema registry is and who the CLI is towards it. */
export abstract class CliConfig {
  abstract readonly registryUrl: string;
  /** Agency code sent as the HTTP Basic user name. */
  abstract readonly agency: string | undefined;
  /** One of the agency's API keys, sent as the HTTP Basic password. */
  abstract readonly apiKey: string | undefined;
}

const httpUrl = z
  .string()
  .refine((u) => /^https?:\/\/[^/\s]+/.test(u) && URL.canParse(u), { message: 'must be an http:// or https:// URL' })
  .transform((u) => u.replace(/\/+$/, ''));
const agencyCode = z.string().regex(/^[a-z][a-z0-9]*$/, { message: 'must be a lower-case agency code such as mom or ita' });
const apiKey = z.string().min(1, { message: 'must not be empty' });

export const cliFragment = () =>
  fragment({
    token: CliConfig,
    env: {
      RABT_REGISTRY_URL: httpUrl.default(DEFAULT_REGISTRY_URL),
      RABT_AGENCY: agencyCode.optional(),
      RABT_API_KEY: apiKey.optional(),
    },
    secrets: ['RABT_API_KEY'],
    map: (e): CliConfig => ({ registryUrl: e.RABT_REGISTRY_URL, agency: e.RABT_AGENCY, apiKey: e.RABT_API_KEY }),
  });

/** Flags that override the environment. */
export interface CliConfigFlags {
  readonly registry?: string | undefined;
  readonly agency?: string | undefined;
  readonly apiKey?: string | undefined;
}

const FLAGS = [
  ['registry', '--registry', httpUrl],
  ['agency', '--agency', agencyCode],
  ['apiKey', '--api-key', apiKey],
] as const;

/**
 * The environment (RABT_REGISTRY_URL, RABT_AGENCY, RABT_API_KEY) validated by @rabt/config, then
 * overridden by the flags given, validated by the same rules. Throws ConfigValidationError listing
 * every problem; a secret is never echoed.
 */
export function loadCliConfig(flags: CliConfigFlags = {}, env?: Record<string, string | undefined>): CliConfig {
  const fromEnv = loadConfig(CLI_NAME, { cli: cliFragment() }, env).values.cli;
  const problems: string[] = [];
  const overrides: Record<string, string> = {};
  for (const [key, flag, schema] of FLAGS) {
    const given = flags[key];
    if (given === undefined) continue;
    const parsed = schema.safeParse(given);
    if (parsed.success) overrides[key === 'registry' ? 'registryUrl' : key] = parsed.data;
    else problems.push(`${flag}: ${parsed.error.issues[0]?.message ?? 'invalid'} (got ${key === 'apiKey' ? '(secret, not shown)' : JSON.stringify(given)})`);
  }
  if (problems.length > 0) throw new ConfigValidationError(CLI_NAME, problems);
  return { ...fromEnv, ...overrides };
}

export const DEFAULT_OPS_URL = 'http://127.0.0.1:8082';

/** Where the ops service is, and where `rabt login` keeps the session token. */
export abstract class OpsCliConfig {
  abstract readonly opsUrl: string;
  /** $XDG_CONFIG_HOME/rabt/ops-session.json, else ~/.config/rabt/ops-session.json. */
  abstract readonly sessionFile: string;
}

export const opsCliFragment = (homeDir: string) =>
  fragment({
    token: OpsCliConfig,
    env: {
      RABT_OPS_URL: httpUrl.default(DEFAULT_OPS_URL),
      XDG_CONFIG_HOME: z.string().startsWith('/', { message: 'must be an absolute path' }).optional(),
    },
    map: (e): OpsCliConfig => ({ opsUrl: e.RABT_OPS_URL, sessionFile: join(e.XDG_CONFIG_HOME ?? join(homeDir, '.config'), CLI_NAME, 'ops-session.json') }),
  });

/** RABT_OPS_URL (or `--ops <url>`) and the session file's place. */
export function loadOpsCliConfig(flags: { readonly ops?: string | undefined } = {}, env?: Record<string, string | undefined>, homeDir: string = homedir()): OpsCliConfig {
  const fromEnv = loadConfig(CLI_NAME, { ops: opsCliFragment(homeDir) }, env).values.ops;
  if (flags.ops === undefined) return fromEnv;
  const parsed = httpUrl.safeParse(flags.ops);
  if (!parsed.success) throw new ConfigValidationError(CLI_NAME, [`--ops: ${parsed.error.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(flags.ops)})`]);
  return { ...fromEnv, opsUrl: parsed.data };
}
