// The agency registry as the `rabt agencies|keys|grants` commands see it: the plain functions of
// @rabt/auth over a direct database connection (DATABASE_URL), without any Nest container.
import type { EntityManager } from 'typeorm';
import {
  addGrant,
  authFragment,
  createAgency,
  issueKey,
  listAgencies,
  listGrants,
  listKeys,
  pepperStatus,
  removeGrant,
  revokeKey,
  seedDemoAgencies,
  updateAgency,
  type AgencyChanges,
  type AgencyView,
  type AuthConfig,
  type GrantFilter,
  type GrantInput,
  type GrantView,
  type IssuedKeyView,
  type KeyView,
  type NewAgency,
  type NewKey,
  type PepperVersionStatus,
  type RevokedKeyView,
} from '@rabt/auth';
import { databaseFragment, loadConfig } from '@rabt/config';
import { createDataSource } from '@rabt/persistence';
import { cliActor } from '../cli/cli-actor';
import { CliException, CliExceptionCode } from '../cli/cli.exception';
import { CLI_NAME } from '../config/cli.config';

export interface AgencyRegistry {
  /** True while keys are issued with the built-in development pepper. */
  readonly developmentPepper: boolean;
  createAgency(input: NewAgency): Promise<AgencyView>;
  listAgencies(): Promise<AgencyView[]>;
  updateAgency(code: string, changes: AgencyChanges): Promise<AgencyView>;
  seedDemoAgencies(): Promise<{ added: string[]; existing: string[] }>;
  issueKey(agency: string, input: NewKey): Promise<IssuedKeyView>;
  listKeys(agency: string): Promise<KeyView[]>;
  revokeKey(keyId: string): Promise<RevokedKeyView>;
  /** Live keys per pepper version (RABT_API_KEY_PEPPERS), for a pepper rotation. */
  pepperStatus(): Promise<PepperVersionStatus[]>;
  addGrant(grant: GrantInput, grantedBy: string): Promise<{ grant: GrantView; created: boolean }>;
  removeGrant(grant: GrantInput): Promise<GrantView>;
  listGrants(filter: GrantFilter): Promise<GrantView[]>;
}

export interface AgencyRegistrySession {
  readonly registry: AgencyRegistry;
  close(): Promise<void>;
}

export function agencyRegistryOver(manager: EntityManager, auth: AuthConfig, actor: string = cliActor()): AgencyRegistry {
  return {
    developmentPepper: auth.developmentPepper,
    createAgency: (input) => createAgency(manager, input),
    listAgencies: () => listAgencies(manager),
    updateAgency: (code, changes) => updateAgency(manager, code, changes),
    seedDemoAgencies: () => seedDemoAgencies(manager),
    issueKey: (agency, input) => issueKey(manager, auth.apiKeyPepper, agency, input, actor, { maxTtlDays: auth.apiKeyMaxTtlDays }),
    listKeys: (agency) => listKeys(manager, agency),
    revokeKey: (keyId) => revokeKey(manager, keyId, actor),
    pepperStatus: () => pepperStatus(manager, [...auth.apiKeyPeppers.keys()], auth.apiKeyPepper.version),
    addGrant: (grant, grantedBy) => addGrant(manager, grant, grantedBy, actor),
    removeGrant: (grant) => removeGrant(manager, grant, actor),
    listGrants: (filter) => listGrants(manager, filter),
  };
}

/**
 * Connects to DATABASE_URL (pepper: RABT_API_KEY_PEPPER). Bad configuration is a
 * ConfigValidationError (exit 2); a database that does not answer, DATABASE_UNREACHABLE (exit 3).
 */
export async function openAgencyRegistry(env?: Record<string, string | undefined>): Promise<AgencyRegistrySession> {
  const config = loadConfig(CLI_NAME, { database: databaseFragment(), auth: authFragment() }, env);
  const { database, auth } = config.values;
  const dataSource = createDataSource({ ...database, poolMax: 1 }, `${CLI_NAME}-cli`);
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new CliException(CliExceptionCode.DATABASE_UNREACHABLE, `database ${config.printable['DATABASE_URL']} is unreachable (set DATABASE_URL): ${(e as Error).message}`);
  }
  return { registry: agencyRegistryOver(dataSource.manager, auth), close: () => dataSource.destroy() };
}

/** Runs `action` on an open registry and always closes it; a database without tables says so. */
export async function withAgencyRegistry<T>(open: () => Promise<AgencyRegistrySession>, action: (registry: AgencyRegistry) => Promise<T>): Promise<T> {
  const session = await open();
  try {
    return await action(session.registry);
  } catch (e) {
    if ((e as { driverError?: { code?: string } }).driverError?.code === '42P01') {
      throw new CliException(CliExceptionCode.DATABASE_NOT_MIGRATED, 'the database has no agency tables yet: run `npm run db:migrate` first');
    }
    throw e;
  } finally {
    await session.close();
  }
}
