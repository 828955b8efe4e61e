// Writes ACL entries to a cluster with kafkajs' admin API (needs a super user or ALTER on the
// cluster: operator-admin). Idempotent: what exists is kept, what is missing is created, and for
// the principals it manages (and only those) entries not in the desired set are deleted.
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Admin, type AclEntry as KafkaAclEntry, type Kafka } from 'kafkajs';
import type { KafkaAdminConfig, KafkaConfig } from '@rabt/config';
import { createKafka } from '../kafka.client';
import { aclKey, agencyAcls, type AclEntry } from './service-acls';

export interface AclPlan {
  readonly create: readonly AclEntry[];
  readonly remove: readonly AclEntry[];
  readonly keep: readonly AclEntry[];
}

const toKafka = (a: AclEntry): KafkaAclEntry => ({
  principal: a.principal,
  host: '*',
  operation: AclOperationTypes[a.operation],
  permissionType: AclPermissionTypes.ALLOW,
  resourceType: AclResourceTypes[a.resource],
  resourceName: a.name,
  resourcePatternType: ResourcePatternTypes[a.pattern],
});

// kafkajs' enums are plain objects at run time (no reverse mapping): name them by value here.
const nameOf = <N extends string>(values: Record<string, number>, names: readonly N[], value: number): N | undefined => names.find((n) => values[n] === value);
const RESOURCES = ['TOPIC', 'GROUP', 'TRANSACTIONAL_ID', 'CLUSTER'] as const;
const PATTERNS = ['LITERAL', 'PREFIXED'] as const;
const OPERATIONS = ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DELETE', 'ALTER', 'DESCRIBE_CONFIGS'] as const;

const fromKafka = (principal: string, r: { resourceType: number; resourceName: string; resourcePatternType: number }, operation: number): AclEntry | undefined => {
  const resource = nameOf(AclResourceTypes as unknown as Record<string, number>, RESOURCES, r.resourceType);
  const pattern = nameOf(ResourcePatternTypes as unknown as Record<string, number>, PATTERNS, r.resourcePatternType);
  const op = nameOf(AclOperationTypes as unknown as Record<string, number>, OPERATIONS, operation);
  if (!resource || !pattern || !op) return undefined;
  return { principal, resource, pattern, name: r.resourceName, operation: op };
};

/** The ALLOW entries (any host) the cluster holds for `principal`. */
export async function describePrincipalAcls(admin: Admin, principal: string): Promise<AclEntry[]> {
  const res = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const out: AclEntry[] = [];
  for (const r of res.resources) {
    for (const acl of r.acls) {
      if (acl.permissionType !== AclPermissionTypes.ALLOW || acl.host !== '*') continue;
      const e = fromKafka(acl.principal, r, acl.operation);
      if (e) out.push(e);
    }
  }
  return out;
}

async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** What applying `desired` would change for `principals` (each principal in `desired` is managed too). */
export async function planAcls(kafka: Kafka, desired: readonly AclEntry[], principals: readonly string[] = []): Promise<AclPlan> {
  return withAdmin(kafka, (admin) => planWith(admin, desired, principals));
}

async function planWith(admin: Admin, desired: readonly AclEntry[], principals: readonly string[]): Promise<AclPlan> {
  const managed = [...new Set([...principals, ...desired.map((d) => d.principal)])].sort();
  const existing = (await Promise.all(managed.map((p) => describePrincipalAcls(admin, p)))).flat();
  const have = new Map(existing.map((e) => [aclKey(e), e]));
  const want = new Map(desired.map((d) => [aclKey(d), d]));
  return {
    create: [...want.values()].filter((d) => !have.has(aclKey(d))),
    remove: [...have.values()].filter((e) => !want.has(aclKey(e))),
    keep: [...want.values()].filter((d) => have.has(aclKey(d))),
  };
}

/** Makes the cluster hold exactly `desired` for the managed principals; returns what it did. */
export async function applyAcls(kafka: Kafka, desired: readonly AclEntry[], principals: readonly string[] = []): Promise<AclPlan> {
  return withAdmin(kafka, async (admin) => {
    const plan = await planWith(admin, desired, principals);
    if (plan.create.length) await admin.createAcls({ acl: plan.create.map(toKafka) });
    if (plan.remove.length) await admin.deleteAcls({ filters: plan.remove.map(toKafka) });
    return plan;
  });
}

/** Adds `entries` (nothing is deleted): an agency certificate's ACLs when it is issued. */
export async function grantAcls(kafka: Kafka, entries: readonly AclEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await withAdmin(kafka, (admin) => admin.createAcls({ acl: entries.map(toKafka) }));
}

/** Deletes every ACL entry of `principal` (an agency certificate when it is revoked). Returns how many. */
export async function revokePrincipalAcls(kafka: Kafka, principal: string): Promise<number> {
  return withAdmin(kafka, async (admin) => {
    const res = await admin.deleteAcls({
      filters: [{ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, principal, host: '*', operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY }],
    });
    return res.filterResponses.reduce((n, f) => n + f.matchingAcls.length, 0);
  });
}

/** Applies one agency certificate's ACLs (agencyAcls) idempotently. */
export async function applyAgencyAcls(kafka: Kafka, entries: readonly AclEntry[]): Promise<AclPlan> {
  return applyAcls(kafka, entries);
}

/**
 * Grants and revokes agency certificates' pull-mode ACLs on `kafka`, a client with a
 * provisioning credential (it must be allowed to create and delete ACLs). This is the shape of
 * @rabt/pki's AgencyKafkaAccess, which certificate issue and revoke call.
 */
export function kafkaAgencyAccess(kafka: Kafka): { grant(agency: string, principal: string): Promise<void>; revoke(principal: string): Promise<void> } {
  return {
    grant: async (agency, principal) => void (await applyAgencyAcls(kafka, agencyAcls(agency, principal))),
    revoke: async (principal) => void (await revokePrincipalAcls(kafka, principal)),
  };
}

/**
 * The agency ACL access a service or tool uses: over a client with the provisioning credential
 * (`admin`, KAFKA_ADMIN_*) when one is given; `'none'` on a plaintext broker (development only:
 * it authorises nobody); `'missing'` when the broker is secured but no provisioning credential
 * is configured, which the caller turns into a refusal.
 */
export function agencyKafkaAccessFor(
  kafka: KafkaConfig,
  admin: KafkaAdminConfig,
): ReturnType<typeof kafkaAgencyAccess> | 'none' | 'missing' {
  if (admin.credential) {
    const client = createKafka({
      brokers: kafka.brokers,
      clientId: `${kafka.clientId}-provisioning`,
      ssl: true,
      tls: { ...(kafka.tls?.ca ? { ca: kafka.tls.ca } : {}), cert: admin.credential.cert, key: admin.credential.key },
      defaultPartitions: kafka.defaultPartitions,
      replicationFactor: kafka.replicationFactor,
    });
    return kafkaAgencyAccess(client);
  }
  return kafka.ssl ? 'missing' : 'none';
}
