/** Every kind of audited action. Extend as needed; never rename (the names are in sealed records). */
export const AUDIT_ACTIONS = [
  'event.published',
  'event.routed',
  'delivery.attempted',
  'delivery.dead-lettered',
  'dead-letter.replayed',
  'dead-letter.discarded',
  'replay-job.started',
  'schema.registered',
  'schema.config-changed',
  'schema.deleted',
  'agency.key-issued',
  'agency.key-revoked',
  'agency.certificate-issued',
  'agency.certificate-revoked',
  'agency.grant-changed',
  'subscription.changed',
  'operator.signed-in',
  'operator.sign-in-failed',
  'operator.locked',
  'operator.unlocked',
  'operator.created',
  'operator.signed-out',
  'operator.disabled',
  'operator.enabled',
  'operator.sessions-revoked',
  'secrets.resealed',
  'inbox.record-refused',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a caller records; the trail adds the time, and the sealer the place in the chain. */
export interface AuditRecordInput {
  /** Who did it: 'agency:mom' | 'operator:alice' | 'service:dispatcher' | 'cli:<os user>'. */
  actor: string;
  action: AuditAction;
  /** What it was done to, e.g. 'event:<source>/<id>', 'dead-letter:<uuid>'. */
  subject: string;
  /** Why, when a person gave a reason (operator actions require one). */
  reason?: string | null;
  /** Anything else worth keeping (JSON). Never put secrets here: the log is kept for good. */
  details?: Record<string, unknown>;
}

/** A sealed record as the chain holds it: the fields the hash covers, plus the hashes. */
export interface SealedAuditRecord {
  readonly seq: number;
  /** recorded_at in UTC with microseconds, exactly as hashed: 2026-11-30T10:04:40.123456Z. */
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly reason: string | null;
  readonly details: Record<string, unknown>;
  readonly prevHash: string;
  readonly hash: string;
}

/** The chain head published as an anchor, kept apart from the database (Kafka and the log). */
export interface AuditAnchor {
  /** Which chain: the database's name (current_database()). */
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  /** When it was taken (ISO 8601). */
  readonly at: string;
}
