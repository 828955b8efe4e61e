// The ops API's requests and answers as they travel (docs/ops-api.md): the one definition the ops
// service answers with and the CLI and the console read. Times are ISO 8601 strings on the wire.
// A transaction (GET /v1/transactions/{id}) is the SDK's `TransactionView` (@rabt/sdk).
import type { DeadLetterErrorCode, DeadLetterState, EventTimelineKind, OperatorRole, ReplayJobState } from './ops-api.lists';

// ---- Accounts and sessions -------------------------------------------------------------------

/** An operator account (GET/POST /v1/operators, the sign-in answer). */
export interface Operator {
  readonly username: string;
  readonly displayName: string;
  readonly role: OperatorRole;
  /** An agency integrator sees only its own agency's traffic; null for Rabt operators. */
  readonly agency: string | null;
  /** Locked after repeated wrong passwords, until `lockedUntil` (or an admin unlocks it). */
  readonly locked: boolean;
  readonly lockedUntil: string | null;
  /** Disabled by an admin: it cannot sign in until an admin enables it again. */
  readonly disabled: boolean;
  readonly lastSignInAt: string | null;
}

/** The signed-in operator as GET /v1/session answers it (no lock or sign-in time). */
export type SessionOperator = Pick<Operator, 'username' | 'displayName' | 'role' | 'agency'>;

/** POST /v1/session. */
export interface SignInRequest {
  readonly username: string;
  readonly password: string;
}

/**
 * POST /v1/session → 200. The session token travels only in the `rabt_ops_session` cookie
 * (HttpOnly), never in a body: the console's scripts cannot read it; the CLI takes it from the
 * Set-Cookie header.
 */
export interface SessionAnswer {
  /** The session's absolute expiry. */
  readonly expiresAt: string;
  readonly operator: Operator;
}

/** GET /v1/session → 200. */
export interface CurrentSessionAnswer {
  readonly operator: SessionOperator;
}

/** POST /v1/operators. */
export interface CreateOperatorRequest {
  readonly username: string;
  readonly displayName?: string;
  readonly role: OperatorRole;
  readonly agency?: string;
  readonly password: string;
  readonly reason: string;
}

/** POST /v1/operators/{username}/disable and …/revoke-sessions → 200. */
export interface OperatorActionAnswer {
  readonly operator: Operator;
  /** How many sessions of the account ended. */
  readonly sessionsEnded: number;
}

/** Every operator action (replay, discard, unlock, …) is audited with its reason. */
export interface ReasonRequest {
  readonly reason: string;
}

// ---- Lists -----------------------------------------------------------------------------------

/** `{items}` of a list that is not paged. */
export interface Items<T> {
  readonly items: readonly T[];
}

/** A page of a list, newest first; pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> extends Items<T> {
  readonly nextCursor: string | null;
}

// ---- Dead letters and replays ----------------------------------------------------------------

/**
 * The filter of the dead-letter list and of a bulk replay. Values are sent as they are typed
 * (the service refuses a bad one with INVALID_FILTER); `from` is inclusive, `to` exclusive.
 */
export interface DeadLetterFilter {
  /** The subscriber or the publisher. */
  readonly agency?: string;
  readonly type?: string;
  readonly errorCode?: string;
  readonly from?: string;
  readonly to?: string;
  readonly transactionId?: string;
}

/** GET /v1/dead-letters' query. */
export interface DeadLetterListQuery extends DeadLetterFilter {
  /** Default open. */
  readonly state?: string;
  /** At most 200. */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface DeadLetterSummary {
  readonly id: string;
  readonly deliveryId: string;
  /** The same as `deliveryId`: a replay keeps it. */
  readonly webhookId: string;
  /** The subscriber. */
  readonly agency: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly eventSource: string;
  /** The publishing agency's code. */
  readonly publisher: string;
  readonly transactionId: string | null;
  readonly errorCode: DeadLetterErrorCode;
  readonly lastStatus: number | null;
  readonly lastError: string;
  /** How many attempts were made. */
  readonly attempts: number;
  readonly createdAt: string;
  readonly state: DeadLetterState;
  readonly discardReason: string | null;
}

/** GET /v1/dead-letters → 200. */
export interface DeadLetterPage extends Page<DeadLetterSummary> {
  /** Matching the filter (not the page). */
  readonly total: number;
}

/** One delivery attempt of a dead letter. */
export interface DeliveryAttempt {
  readonly attemptedAt: string;
  readonly status: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

/** GET /v1/dead-letters/{id} → 200: here `attempts` is the list, and the count is `attemptCount`. */
export interface DeadLetterDetail extends Omit<DeadLetterSummary, 'attempts'> {
  /** The CloudEvent; fields marked `rabt.sensitive` are "••••" for viewers. */
  readonly payload: Record<string, unknown>;
  /** Paths of the masked fields. */
  readonly masked: readonly string[];
  readonly attempts: readonly DeliveryAttempt[];
  readonly attemptCount: number;
}

/** POST /v1/replays. */
export interface StartReplayRequest {
  readonly filter?: DeadLetterFilter;
  readonly reason: string;
  /** Default 50, 1–1000. */
  readonly ratePerSecond?: number;
}

/** A bulk replay (POST /v1/replays → 202, GET /v1/replays[/{id}]). */
export interface ReplayJob {
  readonly id: string;
  readonly state: ReplayJobState;
  readonly filter: DeadLetterFilter;
  readonly reason: string;
  readonly requestedBy: string;
  /** The open dead letters matching the filter when the job was created. */
  readonly total: number;
  /** Put back for delivery. */
  readonly done: number;
  /** Counted in `total` but no longer open when reached. */
  readonly skipped: number;
  readonly ratePerSecond: number;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

// ---- Events, transactions, dashboard ---------------------------------------------------------

export interface EventTimelineEntry {
  readonly at: string;
  readonly kind: EventTimelineKind;
  readonly agency?: string;
  readonly status?: number | null;
  readonly detail?: string;
}

/** A delivery of an event to one subscriber. */
export interface EventDelivery {
  readonly webhookId: string;
  readonly agency: string;
  readonly state: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

/** GET /v1/events/{id} → 200. */
export interface EventView {
  readonly event: {
    readonly id: string;
    /** `urn:rabt:agency:<code>`. */
    readonly source: string;
    readonly type: string;
    readonly subject: string | null;
    readonly time: string | null;
    readonly transactionId: string | null;
  };
  readonly timeline: readonly EventTimelineEntry[];
  readonly deliveries: readonly EventDelivery[];
}

/** An item of GET /v1/transactions. */
export interface TransactionSummary {
  readonly id: string;
  readonly workflow: string;
  readonly state: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly parties: readonly string[];
}

/** GET /v1/transactions' query. */
export interface TransactionListQuery {
  readonly state?: string;
  readonly workflow?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface DashboardMinute {
  readonly t: string;
  readonly published: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface DashboardAgency {
  readonly agency: string;
  readonly published: number;
  readonly delivered: number;
  readonly failed: number;
  /** Open now. */
  readonly deadLetters: number;
}

/** Transactions now: running, running with a breached step, completed, withdrawn. */
export interface DashboardSla {
  readonly open: number;
  readonly breached: number;
  readonly completed: number;
  readonly withdrawn: number;
}

/** GET /v1/dashboard → 200. */
export interface Dashboard {
  /** The window, e.g. `15m`. */
  readonly window: string;
  /** Per minute. */
  readonly series: readonly DashboardMinute[];
  readonly agencies: readonly DashboardAgency[];
  readonly sla: DashboardSla;
}

// ---- Schemas, agencies, subscriptions --------------------------------------------------------

/** An item of GET /v1/schemas. */
export interface SchemaSubject {
  readonly subject: string;
  /** Null for a subject that is not in the catalogue. */
  readonly type: string | null;
  readonly owner: string | null;
  readonly latestVersion: number;
  readonly compatibility: string;
}

/** An item of GET /v1/schemas/{subject}/versions. */
export interface SchemaVersion {
  readonly version: number;
  readonly id: number;
  /** Pretty-printed JSON text of the Avro schema. */
  readonly schema: string;
  readonly registeredAt: string;
}

export interface AgencyGrant {
  readonly eventType: string;
  readonly permission: string;
}

/** An item of GET /v1/api-keys/expiring: a live API key that expires soon (never its secret). */
export interface ExpiringApiKey {
  readonly id: string;
  readonly agency: string;
  readonly label: string;
  /** ISO-8601. */
  readonly expiresAt: string;
}

/** GET /v1/api-keys/expiring: keys expiring within `warningDays` (RABT_API_KEY_EXPIRY_WARNING_DAYS), soonest first. */
export interface ExpiringApiKeys {
  readonly items: readonly ExpiringApiKey[];
  readonly warningDays: number;
}

/** An item of GET /v1/agencies. */
export interface Agency {
  readonly code: string;
  /** English name. */
  readonly name: string;
  /** Arabic name. */
  readonly nameAr: string;
  readonly status: string;
  readonly grants: readonly AgencyGrant[];
  /** How many subscriptions it has. */
  readonly subscriptions: number;
}

/** An item of GET /v1/subscriptions: never a secret. */
export interface SubscriptionView {
  readonly id: string;
  /** The subscriber. */
  readonly agency: string;
  readonly eventType: string;
  readonly filter: string | null;
  /** Data fields delivered; null = all. */
  readonly projection: readonly string[] | null;
  /** `previousSecretExpiresAt` is set while a rotated-out secret still verifies. */
  readonly webhook: { readonly url: string; readonly previousSecretExpiresAt: string | null } | null;
  /** The inbox topic when it delivers there, else null. */
  readonly inboxTopic: string | null;
  readonly state: string;
  readonly disabledReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

// ---- Audit -----------------------------------------------------------------------------------

/** An item of GET /v1/audit: records not sealed yet have `seq` and `hash` null. */
export interface AuditRecordItem {
  readonly seq: number | null;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly reason: string | null;
  readonly details: Record<string, unknown>;
  readonly hash: string | null;
}

export interface AuditAnchorView {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

/** POST /v1/audit/verify → 200. */
export interface AuditVerifyAnswer {
  readonly ok: boolean;
  readonly checked: number;
  readonly firstBreak: { readonly seq: number; readonly problem: string } | null;
  readonly anchor: AuditAnchorView | null;
  readonly anchors: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly unsealed: number;
}

// ---- Errors ----------------------------------------------------------------------------------

/**
 * An RFC 9457 problem+json answer with Rabt's stable `code`: an `OpsErrorCode`, or a code of the
 * libraries the ops service answers for (operator accounts, subscriptions, generic errors).
 */
export interface ProblemDocument {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
}
