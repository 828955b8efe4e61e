// The agency registry as the `rabt agencies|keys|grants` commands see it: the plain functions of
// @rabt/auth over a direct database connection (DATABASE_URL), without any Nest container.
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import {
  addGrant,
  issueCertificate,
  listCertificates,
  revokeCertificate,
  type CertificateView,
  type IssuedCertificateView,
  type NewCertificate,
  type RevokedCertificateView,
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
  unavailableAgencyKafkaAccess,
} from '@rabt/auth';
import { databaseFragment, fragment, kafkaAdminFragment, kafkaFragment, loadConfig } from '@rabt/config';
import { agencyKafkaAccessFor } from '@rabt/kafka';
import { createDataSource } from '@rabt/persistence';
import { caFragment, NO_AGENCY_KAFKA_ACCESS, PkiError, RabtCa, type AgencyKafkaAccess } from '@rabt/pki';
import { cliActor } from '../cli/cli-actor';
import { CliException, CliExceptionCode } from '../cli/cli.exception';
import { withDatabaseSession } from '../cli/database-session';
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
  issueCertificate(agency: string, input: NewCertificate): Promise<IssuedCertificateView>;
  listCertificates(agency?: string): Promise<CertificateView[]>;
  revokeCertificate(certificateId: string, reason: string): Promise<RevokedCertificateView>;
}

/** Loads Rabt's CA for issuing (caFragment: RABT_CA_CERT_FILE/KEY_FILE or RABT_PKI_DIR); a missing or broken CA is bad configuration (exit 2). */
export async function loadCa(env?: Record<string, string | undefined>): Promise<RabtCa> {
  const { certFile, keyFile } = loadConfig(CLI_NAME, { ca: caFragment() }, env).values.ca;
  try {
    return await RabtCa.fromFiles(certFile, keyFile);
  } catch (e) {
    if (e instanceof PkiError) throw new CliException(CliExceptionCode.CONFIG_INVALID, `${e.message} (set RABT_CA_CERT_FILE and RABT_CA_KEY_FILE, or RABT_PKI_DIR)`);
    throw e;
  }
}

export interface AgencyRegistrySession {
  readonly registry: AgencyRegistry;
  close(): Promise<void>;
}

/**
 * The registry over a database connection. `ca` is loaded on first use (only certificate issue
 * needs it); `kafka` grants and revokes certificates' Kafka ACLs.
 */
export function agencyRegistryOver(
  manager: EntityManager,
  auth: AuthConfig,
  actor: string = cliActor(),
  ca: () => Promise<RabtCa> = () => loadCa(),
  kafka: AgencyKafkaAccess = NO_AGENCY_KAFKA_ACCESS,
): AgencyRegistry {
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
    issueCertificate: async (agency, input) => issueCertificate(manager, await ca(), kafka, agency, input, actor),
    listCertificates: (agency) => listCertificates(manager, agency),
    revokeCertificate: (id, reason) => revokeCertificate(manager, kafka, id, { reason }, actor),
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
  return { registry: agencyRegistryOver(dataSource.manager, auth, cliActor(), () => loadCa(env), cliAgencyKafkaAccess(env)), close: () => dataSource.destroy() };
}

/** Runs `action` on an open registry and always closes it; a database without tables says so. */
export async function withAgencyRegistry<T>(open: () => Promise<AgencyRegistrySession>, action: (registry: AgencyRegistry) => Promise<T>): Promise<T> {
  return withDatabaseSession(open, 'agency tables', (session) => action(session.registry));
}

/**
 * Agency certificates' Kafka ACLs from the CLI: its Kafka configuration (KAFKA_BROKERS,
 * KAFKA_SSL_*) is read only when a certificate is issued or revoked. The operator's client
 * certificate (operator-admin locally) creates and deletes the ACLs, or KAFKA_ADMIN_* when given.
 * A secured broker without such a credential refuses issue and revoke: nothing changes.
 */
export function cliAgencyKafkaAccess(env?: Record<string, string | undefined>): AgencyKafkaAccess {
  let access: AgencyKafkaAccess | undefined;
  const resolve = (): AgencyKafkaAccess => {
    if (access) return access;
    const { kafka, kafkaAdmin, plaintext } = loadConfig(
      CLI_NAME,
      { kafka: kafkaFragment(`rabt-${CLI_NAME}`), kafkaAdmin: kafkaAdminFragment(), plaintext: explicitPlaintextFragment() },
      env,
    ).values;
    const own = kafka.tls?.cert && kafka.tls.key ? { credential: { cert: kafka.tls.cert, key: kafka.tls.key } } : {};
    const found = agencyKafkaAccessFor(kafka, kafkaAdmin.credential ? kafkaAdmin : own);
    // Only an explicit KAFKA_SSL=false says the broker is plaintext (and so authorises nobody);
    // Kafka left unconfigured must not issue a certificate silently without its ACLs.
    access =
      found === 'none' && plaintext.explicit
        ? NO_AGENCY_KAFKA_ACCESS
        : found === 'none'
          ? unavailableAgencyKafkaAccess(
              'Kafka is not configured: set KAFKA_BROKERS and KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE to an operator certificate (locally deploy/local/.run/pki/operator-admin.*), or KAFKA_SSL=false for a plaintext broker',
            )
          : found === 'missing'
            ? unavailableAgencyKafkaAccess('the broker is secured and no client certificate is given: set KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE (an operator certificate) or KAFKA_ADMIN_CERT_FILE and KAFKA_ADMIN_KEY_FILE')
            : found;
    return access;
  };
  return { grant: (agency, principal) => resolve().grant(agency, principal), revoke: (principal) => resolve().revoke(principal) };
}

/** Whether KAFKA_SSL=false is written out: only then is the broker taken to be plaintext. */
abstract class ExplicitPlaintext {
  abstract readonly explicit: boolean;
}

const explicitPlaintextFragment = () =>
  fragment({ token: ExplicitPlaintext, env: { KAFKA_SSL: z.string().optional() }, map: (e): ExplicitPlaintext => ({ explicit: e.KAFKA_SSL === 'false' }) });
