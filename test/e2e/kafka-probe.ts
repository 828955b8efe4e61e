// Probes of a secured broker shared by the e2e specs: produce one record, read the first record
// of a topic in a group, and expect Kafka's authorization refusal.
import { randomBytes } from 'node:crypto';
import type { KafkaClient } from '@rabt/kafka';

const suffix = () => randomBytes(4).toString('hex');

/**
 * Whether `e` (or what it wraps) is Kafka's authorization refusal. kafkajs reports a refused
 * consumer group (FindCoordinator answering GROUP_AUTHORIZATION_FAILED, which it does not retry)
 * as KafkaJSGroupCoordinatorNotFound; a coordinator still loading is retried instead, and the
 * positive controls show the coordinator serves allowed groups.
 */
export function isAuthorizationError(e: unknown): boolean {
  for (let cur = e as { name?: string; type?: string; message?: string; cause?: unknown; originalError?: unknown } | undefined, depth = 0; cur && depth < 5; depth++) {
    if (/AUTHORIZATION_FAILED/.test(cur.type ?? '') || /not authorized/i.test(cur.message ?? '') || cur.name === 'KafkaJSGroupCoordinatorNotFound') return true;
    cur = (cur.cause ?? cur.originalError) as typeof cur;
  }
  return false;
}

export async function expectRefused(p: Promise<unknown>): Promise<void> {
  const outcome = await p.then(
    () => 'allowed',
    (e: unknown) => e,
  );
  if (outcome === 'allowed') throw new Error('the broker allowed it');
  if (!isAuthorizationError(outcome)) throw new Error(`expected an authorization error, got: ${String(outcome)} (${(outcome as { type?: string }).type ?? 'no type'})`);
}

export async function produce(kafka: KafkaClient, topic: string): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: 'k', value: 'acl-probe', headers: { ce_specversion: '1.0', ce_id: `probe-${suffix()}`, ce_source: 'acl-test', ce_type: topic } }] });
  } finally {
    await producer.disconnect();
  }
}

/** Consumes the first record of `topic` in `groupId`: its headers, or the broker's refusal. */
export async function readFirst(kafka: KafkaClient, groupId: string, topic: string): Promise<Record<string, string>> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, retry: { retries: 8, restartOnFailure: async () => false } });
  try {
    await consumer.connect();
    return await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`neither a record nor a refusal on ${topic} within 30 s`)), 30_000);
      consumer.on(consumer.events.CRASH, (ev) => {
        clearTimeout(timer);
        reject(ev.payload.error);
      });
      consumer
        .subscribe({ topics: [topic], fromBeginning: true })
        .then(() =>
          consumer.run({
            eachMessage: async ({ message }) => {
              clearTimeout(timer);
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
              resolve(headers);
            },
          }),
        )
        .catch((e: unknown) => {
          clearTimeout(timer);
          reject(e);
        });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

