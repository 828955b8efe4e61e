// @rabt/sdk: what an agency's system needs to publish to and receive from Rabt. Browser-safe:
// nothing reachable from here may import a Node module (checked by browser-safe.spec.ts). The
// Node-only parts (Avro decoding with avsc) are in @rabt/sdk/node.
export type * from './cloudevent.types';
// The catalogue an agency codes against: type constants (never repeat the strings) and data types.
export { EventTypes, isEventType } from '@rabt/contracts';
export type { EventData, EventDataByType, EventType } from '@rabt/contracts';
export { agencySource, buildCloudEvent, type CloudEventOf } from './client/cloudevent.builder';
export { RabtClient, isRetryable, type BatchItemResult, type RabtClientOptions } from './client/rabt.client';
export { RabtNetworkError, RabtProblemError, UNEXPECTED_RESPONSE, parseRetryAfter, type ProblemDocument, type ProblemFieldError } from './client/problem.exception';
export {
  WEBHOOK_TOLERANCE_SECONDS,
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  type SignWebhookInput,
  type VerifyWebhookOptions,
  type WebhookHeaders,
  type WebhookSignatureHeaders,
} from './webhooks/webhook.signature';
export { WebhookVerificationError, WebhookVerificationReason } from './webhooks/webhook-verification.exception';
export {
  InboxDecodeError,
  InboxDecodeReason,
  decodeInboxRecord,
  readCloudEventHeaders,
  readConfluentFrame,
  type AvroDecoder,
  type InboxEvent,
  type InboxEventOf,
  type InboxRecordInput,
  type SchemaSource,
} from './inbox/inbox.decoder';
