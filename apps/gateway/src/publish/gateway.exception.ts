import { DomainException, type ProblemMapping } from '@rabt/runtime';

export enum GatewayExceptionCode {
  INVALID_JSON = 'INVALID_JSON',
  INVALID_CLOUDEVENT = 'INVALID_CLOUDEVENT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  SOURCE_SPOOFED = 'SOURCE_SPOOFED',
  NOT_GRANTED = 'NOT_GRANTED',
  ADMIN_ONLY = 'ADMIN_ONLY',
  PLATFORM_ONLY = 'PLATFORM_ONLY',
  OTHER_AGENCY = 'OTHER_AGENCY',
  ROLE_NOT_HELD = 'ROLE_NOT_HELD',
  NOT_TYPE_OWNER = 'NOT_TYPE_OWNER',
  UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE',
  EVENT_NOT_FOUND = 'EVENT_NOT_FOUND',
  TRANSACTION_NOT_FOUND = 'TRANSACTION_NOT_FOUND',
  IDEMPOTENCY_CONFLICT = 'IDEMPOTENCY_CONFLICT',
  IDEMPOTENCY_IN_PROGRESS = 'IDEMPOTENCY_IN_PROGRESS',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  BATCH_TOO_LARGE = 'BATCH_TOO_LARGE',
  EVENT_TOO_LARGE = 'EVENT_TOO_LARGE',
  EVENT_REFUSED_BY_BROKER = 'EVENT_REFUSED_BY_BROKER',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  SCHEMA_VALIDATION_FAILED = 'SCHEMA_VALIDATION_FAILED',
  UNKNOWN_SCHEMA_VERSION = 'UNKNOWN_SCHEMA_VERSION',
  RATE_LIMITED = 'RATE_LIMITED',
  KAFKA_UNAVAILABLE = 'KAFKA_UNAVAILABLE',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  REGISTRY_UNAVAILABLE = 'REGISTRY_UNAVAILABLE',
}

export class GatewayException extends DomainException<GatewayExceptionCode> {}

/** code -> HTTP meaning. Every gateway error is answered as problem+json with this `code`. */
export const GATEWAY_PROBLEMS: ProblemMapping<GatewayExceptionCode> = {
  [GatewayExceptionCode.INVALID_JSON]: { status: 400, title: 'The body is not valid JSON' },
  [GatewayExceptionCode.INVALID_CLOUDEVENT]: { status: 400, title: 'The event is not a valid CloudEvent' },
  [GatewayExceptionCode.UNAUTHENTICATED]: { status: 401, title: 'A valid agency API key is required' },
  [GatewayExceptionCode.SOURCE_SPOOFED]: { status: 403, title: "The event's source is not the calling agency" },
  [GatewayExceptionCode.NOT_GRANTED]: { status: 403, title: 'The agency may not publish this event type' },
  [GatewayExceptionCode.ADMIN_ONLY]: { status: 403, title: 'Only an API key with the admin role may do this' },
  [GatewayExceptionCode.PLATFORM_ONLY]: { status: 403, title: "Only an admin key of the operator may do this" },
  [GatewayExceptionCode.OTHER_AGENCY]: { status: 403, title: 'A key acts for its own agency only' },
  [GatewayExceptionCode.ROLE_NOT_HELD]: { status: 403, title: 'A key cannot issue a role it does not hold' },
  [GatewayExceptionCode.NOT_TYPE_OWNER]: { status: 403, title: "Only the event type's owner or an admin of the operator may change its grants" },
  [GatewayExceptionCode.UNKNOWN_EVENT_TYPE]: { status: 404, title: 'No such event type in the catalogue' },
  [GatewayExceptionCode.EVENT_NOT_FOUND]: { status: 404, title: 'No such event from this agency' },
  [GatewayExceptionCode.TRANSACTION_NOT_FOUND]: { status: 404, title: 'No such transaction' },
  [GatewayExceptionCode.IDEMPOTENCY_CONFLICT]: { status: 409, title: 'This event id was already used for different content' },
  [GatewayExceptionCode.IDEMPOTENCY_IN_PROGRESS]: { status: 409, title: 'An event with this id is being published right now', retryAfterSeconds: 1 },
  [GatewayExceptionCode.PAYLOAD_TOO_LARGE]: { status: 413, title: 'The request body is too large' },
  [GatewayExceptionCode.BATCH_TOO_LARGE]: { status: 413, title: 'Too many events in one batch' },
  [GatewayExceptionCode.EVENT_TOO_LARGE]: { status: 413, title: 'The event is too large for its Kafka topic' },
  [GatewayExceptionCode.EVENT_REFUSED_BY_BROKER]: { status: 422, title: 'Kafka refused this event for what it is; nothing was accepted' },
  [GatewayExceptionCode.UNSUPPORTED_MEDIA_TYPE]: { status: 415, title: 'Unsupported media type' },
  [GatewayExceptionCode.SCHEMA_VALIDATION_FAILED]: { status: 422, title: "The event's data does not match its registered schema" },
  [GatewayExceptionCode.UNKNOWN_SCHEMA_VERSION]: { status: 422, title: 'The schema named by dataschema is not a version of this type' },
  [GatewayExceptionCode.RATE_LIMITED]: { status: 429, title: "The agency's publish rate limit (events or bytes) is exhausted" },
  [GatewayExceptionCode.KAFKA_UNAVAILABLE]: { status: 503, title: 'The event could not be stored durably; nothing was accepted', retryAfterSeconds: 5 },
  [GatewayExceptionCode.DATABASE_UNAVAILABLE]: { status: 503, title: 'The database could not be reached', retryAfterSeconds: 5 },
  [GatewayExceptionCode.REGISTRY_UNAVAILABLE]: { status: 503, title: 'The schema registry could not be reached', retryAfterSeconds: 5 },
};

export const gatewayError = (code: GatewayExceptionCode, message: string, details?: Record<string, unknown>) => new GatewayException(code, message, details);
