import { z } from 'zod';
import type { ConfigFragment, FragmentContext, UnsafeSetting } from './config.fragments';

/** The one variable that turns on development mode, where the public development defaults are allowed. */
export const DEV_MODE_VARIABLE = 'RABT_DEV_MODE';
const DEV_MODE_VALUES: Readonly<Record<string, boolean>> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFragment = ConfigFragment<any, unknown>;
type Composed<F extends Record<string, AnyFragment>> = { readonly [K in keyof F]: ReturnType<F[K]['map']> };

export class ConfigValidationError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for ${service}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export interface LoadedConfig<F extends Record<string, AnyFragment>> {
  readonly service: string;
  readonly fragments: F;
  readonly values: Composed<F>;
  /** Every variable the app reads with its effective value, secrets masked: safe to log. */
  readonly printable: Readonly<Record<string, string>>;
  /** RABT_DEV_MODE=true: the settings in `unsafe` were allowed. */
  readonly devMode: boolean;
  /** Settings safe only on a developer's machine, allowed because of development mode (empty outside it). */
  readonly unsafe: readonly UnsafeSetting[];
}

/**
 * RABT_DEV_MODE of `env`, else of the process: development mode belongs to the way the whole
 * process is run (the demo, the tests), so an env object that does not mention it inherits it.
 */
function devModeOf(env: Readonly<Record<string, string | undefined>>): { devMode: boolean; problem?: string } {
  const raw = env[DEV_MODE_VARIABLE] ?? process.env[DEV_MODE_VARIABLE];
  if (raw === undefined || raw === '') return { devMode: false };
  const devMode = DEV_MODE_VALUES[raw];
  if (devMode === undefined) return { devMode: false, problem: `${DEV_MODE_VARIABLE}: must be true or false (got ${JSON.stringify(raw)})` };
  return { devMode };
}

/**
 * Validates the environment against all fragments at once and maps each to its typed value.
 * Throws ConfigValidationError listing every problem (variable, what is wrong, never the secret).
 * Outside development mode (RABT_DEV_MODE) every setting a fragment calls unsafe is a problem too:
 * a public default secret, a passwordless database URL, an insecure cookie.
 */
export function loadConfig<F extends Record<string, AnyFragment>>(
  service: string,
  fragments: F,
  env: Readonly<Record<string, string | undefined>> = process.env,
): LoadedConfig<F> {
  const shape: z.ZodRawShape = {};
  const secrets = new Set<string>();
  for (const f of Object.values(fragments)) {
    Object.assign(shape, f.env);
    for (const s of f.secrets ?? []) secrets.add(s);
  }
  // Empty strings count as unset, the way shells and .env files usually mean them.
  const input: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const { devMode, problem: devModeProblem } = devModeOf(env);
  const context: FragmentContext = { devMode, given: new Set(Object.keys(input)) };
  const problems: string[] = devModeProblem ? [devModeProblem] : [];
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '(root)');
      const shown = secrets.has(name) ? '(secret, not shown)' : JSON.stringify(input[name] ?? null);
      problems.push(`${name}: ${issue.message} (got ${shown})`);
    }
  }
  // Each fragment whose own variables are valid is also checked for unsafe settings, so one run names them all.
  const unsafe: UnsafeSetting[] = [];
  for (const f of Object.values(fragments)) {
    if (!f.unsafe && !f.conflicts) continue;
    const own = z.object(f.env).safeParse(input);
    if (!own.success) continue;
    unsafe.push(...(f.unsafe?.(own.data, context) ?? []));
    for (const c of f.conflicts?.(own.data, context) ?? []) problems.push(`${c.variable}: ${c.problem}`);
  }
  if (!devMode) {
    for (const u of unsafe) problems.push(`${u.variable}: ${u.problem} (allowed only in development mode, ${DEV_MODE_VARIABLE}=true)`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigValidationError(service, problems);
  const values = {} as Record<string, unknown>;
  for (const [key, f] of Object.entries(fragments)) values[key] = f.map(parsed.data, context);
  const printable: Record<string, string> = { [DEV_MODE_VARIABLE]: String(devMode) };
  for (const key of Object.keys(shape).sort()) {
    const v = parsed.data[key];
    printable[key] = secrets.has(key) ? maskSecret(key, v) : Array.isArray(v) ? v.join(',') : String(v ?? '');
  }
  return { service, fragments, values: values as Composed<F>, printable, devMode, unsafe };
}

function maskSecret(key: string, value: unknown): string {
  if (value === undefined || value === '') return '';
  if (typeof value === 'string' && /^[a-z]+:\/\//.test(value)) {
    // Keep a URL's host and path visible; hide its credentials.
    try {
      const u = new URL(value);
      if (u.password) u.password = '***';
      return u.toString();
    } catch {
      return '***';
    }
  }
  return key ? '***' : '';
}
