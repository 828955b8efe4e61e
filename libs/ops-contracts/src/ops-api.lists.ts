// The closed lists of the ops API (docs/ops-api.md), each with its type. The ops service validates
// against them, persistence builds its check constraints and the dispatcher's classifier from them,
// the CLI offers them as choices and the console as filters.

/** viewer < operator < admin. */
export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** open → replaying → replayed (or open again if dead-lettered again); open → discarded. */
export const DEAD_LETTER_STATES = ['open', 'replaying', 'replayed', 'discarded'] as const;
export type DeadLetterState = (typeof DEAD_LETTER_STATES)[number];

/** Why a delivery was dead-lettered, as operators filter by it (GET /v1/dead-letters?errorCode=). */
export const DEAD_LETTER_ERROR_CODES = ['HTTP_4XX', 'HTTP_5XX', 'TIMEOUT', 'CONNECTION', 'ADDRESS_REFUSED', 'MAX_AGE', 'OTHER'] as const;
export type DeadLetterErrorCode = (typeof DEAD_LETTER_ERROR_CODES)[number];

export const REPLAY_JOB_STATES = ['running', 'completed', 'failed'] as const;
export type ReplayJobState = (typeof REPLAY_JOB_STATES)[number];

/** What an entry of an event's timeline (GET /v1/events/{id}) records. */
export const EVENT_TIMELINE_KINDS = ['published', 'routed', 'attempt', 'delivered', 'dead-lettered', 'replayed', 'discarded'] as const;
export type EventTimelineKind = (typeof EVENT_TIMELINE_KINDS)[number];

/**
 * The ops service's own problem `code`s. Its answers may also carry the codes of the operator
 * accounts (@rabt/auth), of subscriptions (@rabt/routing) and the generic ones of @rabt/runtime.
 */
export const OPS_ERROR_CODES = [
  'INVALID_REQUEST',
  'INVALID_FILTER',
  'INVALID_CURSOR',
  'REASON_REQUIRED',
  'INVALID_CREDENTIALS',
  'UNAUTHENTICATED',
  'FORBIDDEN_ROLE',
  'FORBIDDEN_AGENCY',
  'RATE_LIMITED',
  'OPERATOR_NOT_FOUND',
  'OPERATOR_EXISTS',
  'UNKNOWN_AGENCY',
  'DEAD_LETTER_NOT_FOUND',
  'DEAD_LETTER_NOT_OPEN',
  'REPLAY_JOB_NOT_FOUND',
  'EVENT_NOT_FOUND',
  'TRANSACTION_NOT_FOUND',
  'SUBJECT_NOT_FOUND',
  'UNSUPPORTED_MEDIA_TYPE',
] as const;
export type OpsErrorCode = (typeof OPS_ERROR_CODES)[number];

