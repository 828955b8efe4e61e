// Who may do what on Kafka: one principal per service and per agency certificate, least
// privilege (docs/security.md, "Kafka"). Pure: computes ACL entries; acl.applier.ts writes them.
import { DEAD_LETTER_TOPIC } from '../event.consumer';

export type AclResource = 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID' | 'CLUSTER';
export type AclPattern = 'LITERAL' | 'PREFIXED';
export type AclOperationName = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE' | 'DELETE' | 'ALTER' | 'DESCRIBE_CONFIGS';

/** One ALLOW entry (any host). Kafka denies whatever no entry allows (allow.everyone.if.no.acl.found=false). */
export interface AclEntry {
  readonly principal: string;
  readonly resource: AclResource;
  readonly pattern: AclPattern;
  readonly name: string;
  readonly operation: AclOperationName;
}

/** The services that hold a Kafka certificate (CN of `OU=service`), in the order the docs list them. */
export const KAFKA_SERVICES = ['gateway', 'schema-registry', 'router', 'dispatcher', 'workflow', 'ops', 'cli', 'agency-simulator'] as const;
export type KafkaService = (typeof KAFKA_SERVICES)[number];

export const INBOX_TOPIC_PREFIX = 'rabt.inbox.';
export const TRANSACTION_TOPIC_PREFIX = 'rabt.transaction.';
/** The audit anchors topic and its per-test variants (`rabt.audit.anchors.<suffix>`). */
export const ANCHOR_TOPIC_PREFIX = 'rabt.audit.anchors';
/** TopicReader's throwaway groups: `rabt-reader-<uuid>`. */
export const READER_GROUP_PREFIX = 'rabt-reader-';
/** The router's transactional ids: `rabt-router-<instance>`. */
export const ROUTER_TRANSACTIONAL_ID_PREFIX = 'rabt-router-';

export const servicePrincipal = (service: KafkaService): string => `User:service.${service}`;
/** The principal of one agency certificate (`UID=<id>,CN=<code>,OU=agency,O=Rabt`). */
export const agencyPrincipal = (code: string, certificateId: string): string => `User:agency.${code}.${certificateId}`;

const AGENCY_CODE = /^[a-z][a-z0-9]{1,15}$/;
const CERTIFICATE_ID = /^[0-9a-f]+$/;

/** What the ACLs are computed from: the catalogue's topics and what the workflow definitions consume. */
export interface AclInventory {
  /** Every catalogue topic (agency event topics and Rabt's own `rabt.transaction.*`). */
  readonly catalogueTopics: readonly string[];
  /** The event types (= topics) the workflow definitions start with or await. */
  readonly workflowConsumes: readonly string[];
  /** Group ids (prefixes) of the consuming services; their defaults are `rabt-<service>`. */
  readonly groups?: Partial<Record<'router' | 'dispatcher' | 'workflow', string>>;
}

type Grant = readonly [resource: AclResource, pattern: AclPattern, name: string, operations: readonly AclOperationName[]];

const topics = (names: readonly string[], ops: readonly AclOperationName[]): Grant[] => names.map((n) => ['TOPIC', 'LITERAL', n, ops] as const);

/**
 * Exactly what each service does on Kafka (the inventory in docs/security.md):
 * - gateway: produces to the catalogue topics (idempotent producer: WRITE suffices on Kafka ≥ 2.8)
 *   and creates them at start (GATEWAY_ENSURE_TOPICS).
 * - Every producer reads the `max.message.bytes` of the topics it writes (DESCRIBE_CONFIGS), so
 *   that an event too large for its topic is refused before it is produced.
 * - router: consumes the catalogue topics in its group, produces to inboxes (creating them on
 *   first use) and to the dead-letter topic, transactionally under `rabt-router-<instance>`.
 * - dispatcher: consumes the inboxes in its group, creates missing inboxes of known agencies (so
 *   its pattern subscription sees them) and dead-letters undecodable records.
 * - workflow: consumes the types its definitions await, produces `rabt.transaction.*`,
 *   dead-letters, creates the topics it uses.
 * - ops and cli: seal/verify the audit chain: create, write and read the anchors topic (reading
 *   through TopicReader's `rabt-reader-*` groups).
 * - schema-registry, agency-simulator: nothing on Kafka.
 */
export function serviceGrants(service: KafkaService, inventory: AclInventory): Grant[] {
  const groups = { router: 'rabt-router', dispatcher: 'rabt-dispatcher', workflow: 'rabt-workflow', ...inventory.groups };
  const dlq: Grant = ['TOPIC', 'LITERAL', DEAD_LETTER_TOPIC, ['WRITE', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS']];
  const anchors: Grant = ['TOPIC', 'PREFIXED', ANCHOR_TOPIC_PREFIX, ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS']];
  const readerGroups: Grant = ['GROUP', 'PREFIXED', READER_GROUP_PREFIX, ['READ']];
  switch (service) {
    case 'gateway':
      return topics(inventory.catalogueTopics, ['WRITE', 'DESCRIBE', 'CREATE', 'DESCRIBE_CONFIGS']);
    case 'router':
      return [
        ...topics(inventory.catalogueTopics, ['READ', 'DESCRIBE', 'CREATE']),
        ['TOPIC', 'PREFIXED', INBOX_TOPIC_PREFIX, ['WRITE', 'DESCRIBE', 'CREATE', 'DESCRIBE_CONFIGS']],
        dlq,
        ['GROUP', 'PREFIXED', groups.router, ['READ']],
        ['TRANSACTIONAL_ID', 'PREFIXED', ROUTER_TRANSACTIONAL_ID_PREFIX, ['WRITE', 'DESCRIBE']],
      ];
    case 'dispatcher':
      return [['TOPIC', 'PREFIXED', INBOX_TOPIC_PREFIX, ['READ', 'DESCRIBE', 'CREATE']], dlq, ['GROUP', 'PREFIXED', groups.dispatcher, ['READ']]];
    case 'workflow': {
      const consumed = [...new Set(inventory.workflowConsumes)].filter((t) => !t.startsWith(TRANSACTION_TOPIC_PREFIX)).sort();
      return [
        ...topics(consumed, ['READ', 'DESCRIBE', 'CREATE']),
        ['TOPIC', 'PREFIXED', TRANSACTION_TOPIC_PREFIX, ['WRITE', 'DESCRIBE', 'CREATE', 'DESCRIBE_CONFIGS']],
        dlq,
        ['GROUP', 'PREFIXED', groups.workflow, ['READ']],
      ];
    }
    case 'ops':
    case 'cli':
      return [anchors, readerGroups];
    case 'schema-registry':
    case 'agency-simulator':
      return [];
  }
}

const expand = (principal: string, grants: readonly Grant[]): AclEntry[] =>
  grants.flatMap(([resource, pattern, name, ops]) => ops.map((operation) => ({ principal, resource, pattern, name, operation })));

/** Every service's ACL entries. */
export function serviceAcls(inventory: AclInventory, services: readonly KafkaService[] = KAFKA_SERVICES): AclEntry[] {
  return services.flatMap((s) => expand(servicePrincipal(s), serviceGrants(s, inventory)));
}

/**
 * One agency certificate's pull-mode ACLs: read its own inbox, in consumer groups under
 * `rabt.agency.<code>.`. Nothing else (no event topic, no other inbox, no write anywhere).
 */
export function agencyAcls(code: string, principal: string): AclEntry[] {
  if (!AGENCY_CODE.test(code)) throw new Error(`not an agency code: ${JSON.stringify(code)}`);
  const [, pCode, pId] = /^User:agency\.([a-z][a-z0-9]{1,15})\.([0-9a-f]+)$/.exec(principal) ?? [];
  if (pCode !== code || !pId || !CERTIFICATE_ID.test(pId)) throw new Error(`${JSON.stringify(principal)} is not a certificate principal of agency ${code}`);
  return expand(principal, [
    ['TOPIC', 'LITERAL', `${INBOX_TOPIC_PREFIX}${code}`, ['READ', 'DESCRIBE']],
    ['GROUP', 'PREFIXED', `rabt.agency.${code}.`, ['READ']],
  ]);
}

/** The stable text of one entry (plans, diffs, docs). */
export const describeAcl = (a: AclEntry): string => `${a.principal} ${a.operation} ${a.resource}:${a.pattern}:${a.name}`;

export const aclKey = describeAcl;
