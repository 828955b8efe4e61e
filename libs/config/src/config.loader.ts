import { z } from 'zod';
import type { ConfigFragment } from './config.fragments';

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
}

/**
 * Validates the environment against all fragments at once and maps each to its typed value.
 * Throws ConfigValidationError listing every problem (variable, what is wrong, never the secret).
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
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(root)');
      const shown = secrets.has(name) ? '(secret, not shown)' : JSON.stringify(input[name] ?? null);
      return `${name}: ${issue.message} (got ${shown})`;
    });
    throw new ConfigValidationError(service, problems);
  }
  const values = {} as Record<string, unknown>;
  for (const [key, f] of Object.entries(fragments)) values[key] = f.map(parsed.data);
  const printable: Record<string, string> = {};
  for (const key of Object.keys(shape).sort()) {
    const v = parsed.data[key];
    printable[key] = secrets.has(key) ? maskSecret(key, v) : Array.isArray(v) ? v.join(',') : String(v ?? '');
  }
  return { service, fragments, values: values as Composed<F>, printable };
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
