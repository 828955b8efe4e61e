// `rabt grants add|remove|list`: who may publish or receive which event type.
import type { GrantPermission } from '@rabt/persistence';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import type { AgencyRegistry } from './agency-registry';
import { json, table, when } from './text.format';

/** Recorded as the granter when --granted-by is not given: the operator. */
export const DEFAULT_GRANTED_BY = 'ita';

interface GrantOptions {
  readonly agency: string;
  readonly eventType: string;
  readonly permission: GrantPermission;
  readonly json: boolean;
}

const may = (permission: GrantPermission) => (permission === 'publish' ? 'publish' : 'subscribe to');

export async function runGrantsAdd(registry: AgencyRegistry, o: GrantOptions & { grantedBy: string }, output: CliOutput): Promise<ExitCode> {
  const { grant, created } = await registry.addGrant({ agency: o.agency, eventType: o.eventType, permission: o.permission }, o.grantedBy);
  if (o.json) output.out(json({ grant, created }));
  else if (created) output.out(`✓ ${grant.agency} may now ${may(grant.permission)} ${grant.eventType} (granted by ${grant.grantedBy})`);
  else output.out(`✓ ${grant.agency} already may ${may(grant.permission)} ${grant.eventType} (granted by ${grant.grantedBy} on ${when(grant.createdAt)}); nothing changed`);
  return ExitCode.OK;
}

export async function runGrantsRemove(registry: AgencyRegistry, o: GrantOptions, output: CliOutput): Promise<ExitCode> {
  const removed = await registry.removeGrant({ agency: o.agency, eventType: o.eventType, permission: o.permission });
  if (o.json) output.out(json({ removed }));
  else output.out(`✓ ${removed.agency} may no longer ${may(removed.permission)} ${removed.eventType} (services notice within 5 s)`);
  return ExitCode.OK;
}

export async function runGrantsList(registry: AgencyRegistry, o: { agency?: string | undefined; eventType?: string | undefined; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const grants = await registry.listGrants({ ...(o.agency !== undefined ? { agency: o.agency } : {}), ...(o.eventType !== undefined ? { eventType: o.eventType } : {}) });
  if (o.json) {
    output.out(json({ grants }));
    return ExitCode.OK;
  }
  if (grants.length === 0) {
    output.out('no grants match: type owners publish their own types without one');
    return ExitCode.OK;
  }
  const rows = grants.map((g) => [g.agency, g.permission, g.eventType, g.grantedBy, when(g.createdAt)]);
  for (const line of table(['AGENCY', 'PERMISSION', 'EVENT TYPE', 'GRANTED BY', 'SINCE'], rows)) output.out(line);
  return ExitCode.OK;
}
