// What the dispatcher writes to the audit log: each attempt, each dead letter, and each delivery
// it creates (the routing decision for a webhook subscriber). Always with the write it is about.
import type { AuditRecordInput } from '@rabt/audit';
import type { NewDelivery } from '../intake/inbox-record';
import type { ClaimedDelivery } from './delivery-claims.repository';

export const DISPATCHER_ACTOR = 'service:dispatcher';

/** One attempt as the audit log keeps it (and how the claim ended after it). */
export function attemptAudit(
  d: ClaimedDelivery,
  a: { readonly startedAt: Date; readonly status: number | null; readonly latencyMs: number; readonly error: string | null },
  outcome: 'delivered' | 'retrying' | 'dead' | 'gone',
): AuditRecordInput {
  return {
    actor: DISPATCHER_ACTOR,
    action: 'delivery.attempted',
    subject: `delivery:${d.id}`,
    details: {
      attemptNo: d.attempts + 1,
      outcome,
      status: a.status,
      latencyMs: a.latencyMs,
      error: a.error?.slice(0, 500) ?? null,
      startedAt: a.startedAt.toISOString(),
      agency: d.agencyCode,
      event: `${d.eventSource}/${d.eventId}`,
      eventType: d.eventType,
    },
  };
}

export function deadLetterAudit(d: ClaimedDelivery, deadLetterId: string, error: string, attempts: number): AuditRecordInput {
  return {
    actor: DISPATCHER_ACTOR,
    action: 'delivery.dead-lettered',
    subject: `dead-letter:${deadLetterId}`,
    details: { delivery: d.id, agency: d.agencyCode, event: `${d.eventSource}/${d.eventId}`, eventType: d.eventType, attempts, error: error.slice(0, 500) },
  };
}

/** The routing decision, recorded when the delivery row for a webhook subscriber is created. */
export function routedAudit(d: NewDelivery): AuditRecordInput {
  return {
    actor: DISPATCHER_ACTOR,
    action: 'event.routed',
    subject: `event:${d.eventSource}/${d.eventId}`,
    details: { delivery: d.id, agency: d.agencyCode, subscription: d.subscriptionId, eventType: d.eventType, inbox: `${d.inboxTopic}/${d.inboxPartition}/${d.inboxOffset}` },
  };
}
