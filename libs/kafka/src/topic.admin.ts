import type { Admin, Kafka } from 'kafkajs';

export interface TopicSpec {
  readonly name: string;
  readonly partitions?: number;
  /** Retention in milliseconds; -1 keeps records forever. */
  readonly retentionMs?: number;
  readonly cleanupPolicy?: 'delete' | 'compact';
}

export interface TopicDefaults {
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** Creates topics from the catalogue (idempotently) and answers cluster questions. */
export class TopicAdmin {
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly defaults: TopicDefaults,
  ) {
    this.admin = kafka.admin();
  }

  private connect(): Promise<void> {
    this.connected ??= this.admin.connect().catch((e: unknown) => {
      this.connected = undefined;
      throw e;
    });
    return this.connected;
  }

  /** Creates the topics that do not exist yet; existing ones are left as they are. Returns the names created. */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<string[]> {
    await this.connect();
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length === 0) return [];
    await this.admin.createTopics({
      waitForLeaders: false, // kafkajs gives up on UNKNOWN_TOPIC_OR_PARTITION while a new topic spreads; we poll below
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions ?? this.defaults.partitions,
        replicationFactor: this.defaults.replicationFactor,
        configEntries: [
          ...(s.retentionMs !== undefined ? [{ name: 'retention.ms', value: String(s.retentionMs) }] : []),
          ...(s.cleanupPolicy ? [{ name: 'cleanup.policy', value: s.cleanupPolicy }] : []),
        ],
      })),
    });
    // createTopics answers before every broker serves the new partitions: wait until metadata does.
    const names = missing.map((s) => s.name);
    for (let attempt = 0; ; attempt++) {
      try {
        const { topics } = await this.admin.fetchTopicMetadata({ topics: names });
        if (topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) break;
      } catch (e) {
        if (attempt >= 50) throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // ... and until the leader serves them: metadata names the leader before the broker has
    // created the partitions' logs, and a produce meanwhile fails with NOT_LEADER_OR_FOLLOWER (on
    // a loaded single broker, for 3 s: longer than a producer's retries). ListOffsets answers the
    // same error until then. The wait is best effort: its failure must not fail the caller (the
    // router ensures inbox topics while routing, where a non-retriable error would end its consumer).
    for (const name of names) await retryWhile(() => this.admin.fetchTopicOffsets(name), () => true, { retries: 20, firstDelayMs: 100, maxDelayMs: 1_000 }).catch(() => undefined);
    return names;
  }

  async describeTopic(name: string): Promise<{ partitions: number; config: Record<string, string> }> {
    await this.connect();
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [name] });
    const configs = await this.admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name }] });
    const config: Record<string, string> = {};
    for (const entry of configs.resources[0]?.configEntries ?? []) config[entry.configName] = entry.configValue;
    return { partitions: topics[0]?.partitions.length ?? 0, config };
  }

  /** The next offset to be written, per partition (what a new record would get). */
  async endOffsets(topic: string): Promise<Map<number, string>> {
    await this.connect();
    const offsets = await whileRetriable(() => this.admin.fetchTopicOffsets(topic));
    return new Map(offsets.map((o) => [o.partition, o.high]));
  }

  async listTopics(): Promise<string[]> {
    await this.connect();
    return this.admin.listTopics();
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = undefined;
    await this.admin.disconnect();
  }
}

/**
 * Repeats `fn` while Kafka answers with a retriable error (e.g. NOT_LEADER_FOR_PARTITION right
 * after a topic was created, while leadership settles), with a short backoff, about 10 s at most.
 */
export function whileRetriable<T>(fn: () => Promise<T>, attempts = 20): Promise<T> {
  return retryWhile(fn, (e) => (e as { retriable?: unknown }).retriable === true, { retries: attempts, firstDelayMs: 100, maxDelayMs: 1_000 });
}

/** Calls `fn` again while `when(error)` holds, at most `retries` more times, waiting `firstDelayMs` doubling up to `maxDelayMs` in between. */
export async function retryWhile<T>(fn: () => Promise<T>, when: (error: unknown) => boolean, backoff: { retries: number; firstDelayMs: number; maxDelayMs: number }): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await fn();
    } catch (error) {
      if (retry >= backoff.retries || !when(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.min(backoff.firstDelayMs * 2 ** retry, backoff.maxDelayMs)));
    }
  }
}
