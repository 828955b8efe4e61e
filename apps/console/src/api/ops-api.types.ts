// The ops API's wire types, written from docs/ops-api.md (the contract between the ops service,
// the console and the CLI). Times are RFC 3339 strings.
import type { TransactionView } from '@rabt/sdk';

export type Role = 'viewer' | 'operator' | 'admin';

export interface Operator {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** An agency integrator sees only its own agency's traffic; null for Rabt operators. */
  readonly agency: string | null;
  readonly locked: boolean;
  readonly lastSignInAt: string | null;
}

export interface SessionAnswer {
  readonly token: string;
  readonly operator: Operator;
}

export type DeadLetterState = 'open' | 'replaying' | 'replayed' | 'discarded';
export const DEAD_LETTER_STATES: readonly DeadLetterState[] = ['open', 'replaying', 'replayed', 'discarded'];

export type DeliveryErrorCode = 'HTTP_4XX' | 'HTTP_5XX' | 'TIMEOUT' | 'CONNECTION' | 'ADDRESS_REFUSED' | 'MAX_AGE' | 'OTHER';
export const DELIVERY_ERROR_CODES: readonly DeliveryErrorCode[] = ['HTTP_4XX', 'HTTP_5XX', 'TIMEOUT', 'CONNECTION', 'ADDRESS_REFUSED', 'MAX_AGE', 'OTHER'];

export interface DeadLetterSummary {
  readonly id: string;
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly agency: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly eventSource: string;
  readonly publisher: string;
  readonly transactionId: string | null;
  readonly errorCode: DeliveryErrorCode;
  readonly lastStatus: number | null;
  readonly lastError: string;
  readonly attempts: number;
  readonly createdAt: string;
  readonly state: DeadLetterState;
  readonly discardReason: string | null;
}

export interface DeliveryAttempt {
  readonly attemptedAt: string;
  readonly status: number | null;
  readonly latencyMs: number | null;
  readonly error: string | null;
}

export interface DeadLetterDetail extends Omit<DeadLetterSummary, 'attempts'> {
  /** The CloudEvent; fields marked `rabt.sensitive` are "••••" for viewers. */
  readonly payload: Record<string, unknown>;
  /** Paths of the masked fields. */
  readonly masked: readonly string[];
  readonly attempts: readonly DeliveryAttempt[];
  /** How many attempts were made (the ops service sends it next to the list). */
  readonly attemptCount?: number;
}

/** The filter of the dead-letter list; every field optional. */
export type DeadLetterFilter = {
  readonly agency?: string;
  readonly type?: string;
  readonly errorCode?: string;
  readonly from?: string;
  readonly to?: string;
  readonly transactionId?: string;
  readonly state?: string;
};

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly total?: number;
}

export interface ReplayJob {
  readonly id: string;
  readonly state: 'running' | 'completed' | 'failed';
  readonly filter: Omit<DeadLetterFilter, 'state'>;
  readonly reason: string;
  readonly requestedBy: string;
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly ratePerSecond: number;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export type EventTimelineKind = 'published' | 'routed' | 'attempt' | 'delivered' | 'dead-lettered' | 'replayed' | 'discarded';

export interface EventView {
  readonly event: { readonly id: string; readonly source: string; readonly type: string; readonly subject: string | null; readonly time: string; readonly transactionId: string | null };
  readonly timeline: readonly { readonly at: string; readonly kind: EventTimelineKind; readonly agency?: string; readonly status?: number; readonly detail?: string }[];
  readonly deliveries: readonly Record<string, unknown>[];
}

export interface TransactionSummary {
  readonly id: string;
  readonly workflow: string;
  readonly state: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly parties: readonly string[];
}

export type { TransactionView };

export interface Dashboard {
  readonly window: string;
  readonly series: readonly { readonly t: string; readonly published: number; readonly delivered: number; readonly failed: number }[];
  readonly agencies: readonly { readonly agency: string; readonly published: number; readonly delivered: number; readonly failed: number; readonly deadLetters: number }[];
  readonly sla: { readonly open: number; readonly breached: number; readonly completed: number; readonly withdrawn: number };
}

export interface SchemaSubject {
  readonly subject: string;
  /** Null for a subject that is not in the catalogue. */
  readonly type: string | null;
  readonly owner: string | null;
  readonly latestVersion: number;
  readonly compatibility: string;
}

export interface SchemaVersion {
  readonly version: number;
  readonly id: number;
  /** Pretty-printed JSON text of the Avro schema. */
  readonly schema: string;
  readonly registeredAt: string;
}

export interface Agency {
  readonly code: string;
  /** English name. */
  readonly name: string;
  /** Arabic name (the ops service sends it next to `name`). */
  readonly nameAr?: string | null;
  readonly status?: string;
  readonly grants: readonly unknown[];
  readonly subscriptions: number;
}

/** A subscription as the ops API shows it (never its secret); the console shows what it finds. */
export interface SubscriptionView {
  readonly id: string;
  readonly agency: string;
  readonly eventType: string;
  readonly state?: string;
  readonly filter?: string | null;
  readonly projection?: readonly string[] | null;
  readonly webhook?: { readonly url: string } | null;
  readonly createdAt?: string;
}

/** RFC 9457 problem document with Rabt's stable `code`. */
export interface ProblemDocument {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
}
