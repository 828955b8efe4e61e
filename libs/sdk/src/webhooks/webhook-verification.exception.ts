/** Why a webhook was refused. */
export enum WebhookVerificationReason {
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is missing or malformed. */
  MISSING_HEADERS = 'MISSING_HEADERS',
  /** No `v1` signature matches any of the receiver's secrets. */
  BAD_SIGNATURE = 'BAD_SIGNATURE',
  /** `webhook-timestamp` is older than the tolerance (a replay, or a clock far behind). */
  TIMESTAMP_TOO_OLD = 'TIMESTAMP_TOO_OLD',
  /** `webhook-timestamp` is further in the future than the tolerance. */
  TIMESTAMP_IN_FUTURE = 'TIMESTAMP_IN_FUTURE',
  /** Correctly signed, but the body is not a structured JSON CloudEvent. */
  INVALID_BODY = 'INVALID_BODY',
}

/** A webhook that must not be processed. Answer it with 4xx; never act on its body. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}
