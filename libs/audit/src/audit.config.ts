import { z } from 'zod';
import { configTypes, fragment } from '@rabt/config';

export const DEFAULT_ANCHOR_TOPIC = 'rabt.audit.anchors';

/** Whether this service seals the audit log and anchors its head, and how often. */
export abstract class AuditConfig {
  /** Run the sealer here (safe in several services at once: they take turns through an advisory lock). */
  abstract readonly sealer: boolean;
  abstract readonly sealIntervalMs: number;
  abstract readonly anchorIntervalMs: number;
  abstract readonly anchorTopic: string;
}

/** AUDIT_SEALER (default per service), AUDIT_SEAL_INTERVAL_MS, AUDIT_ANCHOR_INTERVAL_MS, AUDIT_ANCHOR_TOPIC. */
export const auditFragment = (defaults: { sealer?: boolean } = {}) =>
  fragment({
    token: AuditConfig,
    env: {
      AUDIT_SEALER: configTypes.bool.default(defaults.sealer ?? false),
      AUDIT_SEAL_INTERVAL_MS: configTypes.positiveInt.max(60_000, { message: 'must be at most 60000' }).default(500),
      AUDIT_ANCHOR_INTERVAL_MS: configTypes.positiveInt.min(1000, { message: 'must be at least 1000' }).default(30_000),
      AUDIT_ANCHOR_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, { message: 'must be a Kafka topic name' }).default(DEFAULT_ANCHOR_TOPIC),
    },
    map: (e): AuditConfig => ({ sealer: e.AUDIT_SEALER, sealIntervalMs: e.AUDIT_SEAL_INTERVAL_MS, anchorIntervalMs: e.AUDIT_ANCHOR_INTERVAL_MS, anchorTopic: e.AUDIT_ANCHOR_TOPIC }),
  });
