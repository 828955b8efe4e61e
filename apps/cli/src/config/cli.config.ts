import { z } from 'zod';
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
