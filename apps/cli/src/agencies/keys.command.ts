// `rabt keys issue|list|revoke`: agency API keys. The token is printed once and never stored.
import type { ApiKeyRole } from '@rabt/persistence';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import type { AgencyRegistry } from './agency-registry';
import { json, table, when } from './text.format';

export const TOKEN_WARNING = 'This token is shown only now: Rabt stores only a peppered hash of it and cannot show it again. Put it in the agency\'s secret store.';
const DEV_PEPPER_WARNING = 'RABT_API_KEY_PEPPER is the development default: this key works only with services that use the same default. Set the production pepper before issuing real keys.';

export async function runKeysIssue(
  registry: AgencyRegistry,
  o: { agency: string; label?: string | undefined; roles: readonly ApiKeyRole[]; json: boolean },
  output: CliOutput,
  now: () => Date = () => new Date(),
): Promise<ExitCode> {
  const label = o.label ?? `issued with rabt keys issue on ${now().toISOString().slice(0, 10)}`;
  const key = await registry.issueKey(o.agency, { label, roles: o.roles });
  if (registry.developmentPepper) output.err(`! ${DEV_PEPPER_WARNING}`);
  if (o.json) {
    output.out(json({ ...key, warning: TOKEN_WARNING }));
    return ExitCode.OK;
  }
  output.out(`✓ key ${key.keyId} issued for ${key.agency} (label "${key.label}", roles: ${key.roles.join(', ') || 'none'}):`);
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
  const rows = keys.map((k) => [k.id, k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active', k.roles.join(',') || '-', when(k.createdAt), k.label]);
  for (const line of table(['KEY ID', 'STATE', 'ROLES', 'ISSUED', 'LABEL'], rows)) output.out(line);
  return ExitCode.OK;
}

export async function runKeysRevoke(registry: AgencyRegistry, o: { keyId: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const key = await registry.revokeKey(o.keyId);
  if (o.json) output.out(json(key));
  else if (key.alreadyRevoked) output.out(`✓ key ${key.id} of ${key.agency} ("${key.label}") was already revoked on ${when(key.revokedAt)}; nothing changed`);
  else output.out(`✓ key ${key.id} of ${key.agency} ("${key.label}") revoked: services stop accepting it within 5 s`);
  return ExitCode.OK;
}
