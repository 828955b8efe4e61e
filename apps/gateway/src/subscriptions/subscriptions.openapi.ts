// OpenAPI shapes of the subscriptions API (the rules themselves are in @rabt/routing).
import { SUBSCRIPTION_STATES } from '@rabt/persistence';
import { MAX_FILTER_LENGTH } from '@rabt/routing';

const agencyCode = { type: 'string', pattern: '^[a-z][a-z0-9]{1,15}$', example: 'rop' };
const timestamp = { type: 'string', format: 'date-time' };
const eventType = { type: 'string', example: 'mom.employee.left-work-reported' };
const filter = {
  type: 'string',
  nullable: true,
  maxLength: MAX_FILTER_LENGTH,
  description: 'CEL over `event` (id, source, type, subject, time, transactionid) and `data`; null or absent = every event',
  example: 'data.reason == "ABSCONDED"',
};
const projection = {
  type: 'array',
  nullable: true,
  items: { type: 'string' },
  description: "top-level data fields to receive; the type's partition key is always added; null or absent = every field",
  example: ['reason', 'passportNumber'],
};

export const NEW_SUBSCRIPTION = {
  type: 'object',
  required: ['eventType'],
  additionalProperties: false,
  description: 'Give a webhook, "inbox": true, or both.',
  properties: {
    agency: { ...agencyCode, description: 'the subscriber; only admin keys may name another agency than their own' },
    eventType,
    filter,
    projection,
    webhook: { type: 'object', nullable: true, required: ['url'], additionalProperties: false, properties: { url: { type: 'string', example: 'https://hooks.rop.gov.om/rabt/events' } } },
    inbox: { type: 'boolean', description: 'also deliver to the Kafka topic rabt.inbox.<agency>' },
  },
  example: { eventType: 'mom.employee.left-work-reported', filter: 'data.reason == "ABSCONDED"', projection: ['reason', 'passportNumber'], webhook: { url: 'https://hooks.rop.gov.om/rabt/events' } },
};

export const SUBSCRIPTION = {
  type: 'object',
  description: 'Never a secret: the webhook signing secret is shown only when created or rotated.',
  properties: {
    id: { type: 'string', format: 'uuid' },
    agency: agencyCode,
    eventType,
    filter,
    projection: { ...projection, description: 'the fields delivered, in schema order, with the partition key; null = every field' },
    webhook: {
      type: 'object',
      nullable: true,
      properties: { url: { type: 'string' }, previousSecretExpiresAt: { ...timestamp, nullable: true, description: 'while set, deliveries are also signed with the rotated-out secret' } },
    },
    inboxTopic: { type: 'string', nullable: true, example: 'rabt.inbox.rop' },
    state: { type: 'string', enum: [...SUBSCRIPTION_STATES] },
    disabledReason: { type: 'string', nullable: true },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
};

export const WITH_SECRET = {
  ...SUBSCRIPTION,
  description: 'The subscription and its webhook signing secret, shown this once (Rabt keeps it only encrypted).',
  properties: { ...SUBSCRIPTION.properties, webhookSecret: { type: 'string', nullable: true, example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw…' } },
};

export const SUBSCRIPTIONS = { type: 'object', properties: { subscriptions: { type: 'array', items: SUBSCRIPTION } } };
