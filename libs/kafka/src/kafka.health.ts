import type { Admin, Kafka } from 'kafkajs';

/**
 * A cheap broker probe for readiness: one metadata round trip with a short timeout and no
 * retries, on its own admin connection so a stuck producer cannot make it lie.
 */
export class KafkaProbe {
  private readonly admin: Admin;
  private connected = false;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
  }

  async check(timeoutMs = 2500): Promise<{ brokers: number; controller: number | null }> {
    return withTimeout(
      (async () => {
        if (!this.connected) {
          await this.admin.connect();
          this.connected = true;
        }
        try {
          const cluster = await this.admin.describeCluster();
          return { brokers: cluster.brokers.length, controller: cluster.controller };
        } catch (e) {
          // Drop the connection so the next probe dials again instead of reusing a dead socket.
          this.connected = false;
          await this.admin.disconnect().catch(() => undefined);
          throw e;
        }
      })(),
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.admin.disconnect();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
