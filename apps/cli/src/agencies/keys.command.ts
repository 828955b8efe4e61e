// `rabt keys issue|list|revoke`: agency API keys. The token is printed once and never stored.
import type { ApiKeyRole } from '@rabt/persistence';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import type { AgencyRegistry } from './agency-registry';
import { json, table, when } from './text.format';

export const TOKEN_WARNING = 'This token is shown only now: Rabt stores only a peppered hash of it and cannot show it again. Put it in the agency\'s secret store.';
const DEV_PEPPER_WARNING = 'The API-key pepper is the development default: this key works only with services that use the same default. Set the production pepper before issuing real keys.';

export async function runKeysIssue(
  registry: AgencyRegistry,
  o: { agency: string; label?: string | undefined; roles: readonly ApiKeyRole[]; expires?: string | undefined; json: boolean },
  output: CliOutput,
  now: () => Date = () => new Date(),
): Promise<ExitCode> {
  const label = o.label ?? `issued with rabt keys issue on ${now().toISOString().slice(0, 10)}`;
  const key = await registry.issueKey(o.agency, { label, roles: o.roles, ...(o.expires === undefined ? {} : { expires: o.expires }) });
  if (registry.developmentPepper) output.err(`! ${DEV_PEPPER_WARNING}`);
  if (o.json) {
    output.out(json({ ...key, warning: TOKEN_WARNING }));
    return ExitCode.OK;
  }
  const expiry = key.expiresAt ? `, expires ${when(key.expiresAt)}` : '';
  output.out(`✓ key ${key.keyId} issued for ${key.agency} (label "${key.label}", roles: ${key.roles.join(', ') || 'none'}${expiry}):`);
  output.out(key.token);
  output.err(`! ${TOKEN_WARNING}`);
  return ExitCode.OK;
}

export async function runKeysList(registry: AgencyRegistry, o: { agency: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const keys = await registry.listKeys(o.agency);
  if (o.json) {
    output.out(json({ keys }));
    return ExitCode.OK;
  }
  if (keys.length === 0) {
    output.out(`agency ${o.agency} has no keys: issue one with rabt keys issue ${o.agency}`);
    return ExitCode.OK;
  }
  const now = new Date();
  const stateOf = (k: (typeof keys)[number]) =>
    k.revokedAt ? `revoked ${when(k.revokedAt)}` : k.expiresAt && new Date(k.expiresAt) <= now ? `expired ${when(k.expiresAt)}` : 'active';
  const rows = keys.map((k) => [k.id, stateOf(k), k.roles.join(',') || '-', when(k.createdAt), k.expiresAt ? when(k.expiresAt) : '-', k.label]);
  for (const line of table(['KEY ID', 'STATE', 'ROLES', 'ISSUED', 'EXPIRES', 'LABEL'], rows)) output.out(line);
  return ExitCode.OK;
}

export async function runKeysRevoke(registry: AgencyRegistry, o: { keyId: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const key = await registry.revokeKey(o.keyId);
  if (o.json) output.out(json(key));
  else if (key.alreadyRevoked) output.out(`✓ key ${key.id} of ${key.agency} ("${key.label}") was already revoked on ${when(key.revokedAt)}; nothing changed`);
  else output.out(`✓ key ${key.id} of ${key.agency} ("${key.label}") revoked: services stop accepting it within 5 s`);
  return ExitCode.OK;
}

/**
 * Live keys per pepper version: a pepper may leave RABT_API_KEY_PEPPERS once no live key uses
 * it. Exit 1 while live keys use a version that is not configured (they cannot authenticate).
 */
export async function runKeysPepperStatus(registry: AgencyRegistry, o: { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const versions = await registry.pepperStatus();
  if (o.json) output.out(json({ versions }));
  else {
    const rows = versions.map((v) => [String(v.version), String(v.liveKeys), v.primary ? 'primary' : v.configured ? 'configured' : 'NOT CONFIGURED']);
    for (const line of table(['PEPPER VERSION', 'LIVE KEYS', 'PEPPER'], rows)) output.out(line);
    for (const v of versions) {
      if (v.configured && !v.primary && v.liveKeys === 0) output.out(`version ${v.version} holds no live key: it may be removed from RABT_API_KEY_PEPPERS`);
    }
  }
  const lost = versions.filter((v) => !v.configured && v.liveKeys > 0);
  if (lost.length > 0) {
    output.err(`! live keys use pepper versions that are not configured (${lost.map((v) => v.version).join(', ')}): they are refused until reissued, or until the pepper is listed again`);
    return ExitCode.FAILED;
  }
  return ExitCode.OK;
}
