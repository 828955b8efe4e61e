import { z } from 'zod';
import { authFragment, keyExpiryFragment, secretKeyFragment } from '@rabt/auth';
import { configTypes, databaseFragment, fragment, httpFragment, kafkaFragment, loadConfig, loggingFragment, schemaRegistryClientFragment } from '@rabt/config';
import { subscriptionPolicyFragment, webhookPolicyFragment } from '@rabt/routing';

export const GATEWAY_SERVICE = 'gateway';

/** The publish pipeline's own settings. */
export abstract class PublishConfig {
  abstract readonly maxBatchEvents: number;
  abstract readonly lingerMs: number;
  abstract readonly ratePerSecond: number;
  abstract readonly rateBurst: number;
  abstract readonly ensureTopics: boolean;
  /** Bytes of request bodies per second per agency, and the most at once. */
  abstract readonly rateBytesPerSecond: number;
  abstract readonly rateBytesBurst: number;
  /**
   * The most bytes an event may take as a Kafka record (key, value and headers); when unset, the
   * topic's `max.message.bytes` less the record batch overhead. The lower of the two applies.
   */
  abstract readonly maxEventBytes: number | undefined;
}

const publishFragment = () =>
  fragment({
    token: PublishConfig,
    env: {
      GATEWAY_BATCH_MAX_EVENTS: configTypes.positiveInt.max(5000, { message: 'must be at most 5000' }).default(500),
      GATEWAY_LINGER_MS: z.coerce.number({ message: 'must be a number' }).min(0).max(50, { message: 'must be at most 50' }).default(2),
      GATEWAY_RATE_PER_SECOND: configTypes.positiveInt.default(1000),
      GATEWAY_RATE_BURST: configTypes.positiveInt.default(2000),
      GATEWAY_ENSURE_TOPICS: configTypes.bool.default(true),
      GATEWAY_RATE_BYTES_PER_SECOND: configTypes.positiveInt.default(8 * 1024 * 1024),
      GATEWAY_RATE_BYTES_BURST: configTypes.positiveInt.default(16 * 1024 * 1024),
      GATEWAY_MAX_EVENT_BYTES: configTypes.positiveInt.optional(),
    },
    map: (e): PublishConfig => ({
      maxBatchEvents: e.GATEWAY_BATCH_MAX_EVENTS,
      lingerMs: e.GATEWAY_LINGER_MS,
      ratePerSecond: e.GATEWAY_RATE_PER_SECOND,
      rateBurst: e.GATEWAY_RATE_BURST,
      ensureTopics: e.GATEWAY_ENSURE_TOPICS,
      rateBytesPerSecond: e.GATEWAY_RATE_BYTES_PER_SECOND,
      rateBytesBurst: e.GATEWAY_RATE_BYTES_BURST,
      maxEventBytes: e.GATEWAY_MAX_EVENT_BYTES,
    }),
  });

/** Everything the gateway reads from its environment, validated once at start. */
export const gatewayConfigFragments = () => ({
  http: httpFragment('GATEWAY_PORT', 8080),
  logging: loggingFragment(GATEWAY_SERVICE),
  kafka: kafkaFragment(`rabt-${GATEWAY_SERVICE}`),
  database: databaseFragment(),
  auth: authFragment(),
  keyExpiry: keyExpiryFragment(),
  registry: schemaRegistryClientFragment(),
  publish: publishFragment(),
  secrets: secretKeyFragment(),
  webhooks: webhookPolicyFragment(),
  subscriptions: subscriptionPolicyFragment(),
});

export const loadGatewayConfig = (env?: Record<string, string | undefined>) => loadConfig(GATEWAY_SERVICE, gatewayConfigFragments(), env);
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
