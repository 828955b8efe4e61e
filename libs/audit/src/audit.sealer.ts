import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventProducer, KAFKA_CLIENT, TopicAdmin, type KafkaClient } from '@rabt/kafka';
import { AuditAnchorTopic } from './audit-anchors';
import type { AuditAnchor } from './audit-record';
import { chainHead, chainName } from './audit-records';
import { sealAuditRecords, type SealResult } from './audit-sealing';
import { verifyAuditChain, type AuditVerification } from './audit-verification';
import { AuditConfig, DEFAULT_ANCHOR_TOPIC } from './audit.config';

/** Seals what is unsealed, then takes the chain head as an anchor (null while the chain is empty). */
export async function takeAuditAnchor(dataSource: DataSource, now: () => Date = () => new Date()): Promise<AuditAnchor | null> {
  await sealAuditRecords(dataSource);
  const head = await chainHead(dataSource);
  return head ? { chain: await chainName(dataSource), seq: head.seq, hash: head.hash, at: now().toISOString() } : null;
}

/**
 * The sealer, where AUDIT_SEALER is true: every AUDIT_SEAL_INTERVAL_MS it seals the records
 * written since, and every AUDIT_ANCHOR_INTERVAL_MS (when the head moved) it publishes the head
 * to the anchors topic and logs it. Several services may run it: they take turns (advisory lock).
 * Also answers on demand: `anchorNow` and `verify` (the ops API and tests).
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('audit');
  private readonly config: AuditConfig;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private lastAnchored: string | undefined;
  private topicReady = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() config?: AuditConfig,
    @Optional() private readonly producer?: EventProducer,
    @Optional() private readonly admin?: TopicAdmin,
    @Optional() @Inject(KAFKA_CLIENT) private readonly kafka?: KafkaClient,
  ) {
    this.config = config ?? { sealer: false, sealIntervalMs: 500, anchorIntervalMs: 30_000, anchorTopic: DEFAULT_ANCHOR_TOPIC };
  }

  get enabled(): boolean {
    return this.config.sealer;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.sealer) return;
    this.requireKafka();
    // Not fatal when Kafka is down now: sealing goes on, and anchoring ensures the topic again.
    await this.ensureTopic().catch((e: unknown) => this.log.warn({ msg: 'could not create the audit anchors topic yet', error: (e as Error).message }));
    this.every(this.config.sealIntervalMs, () => this.sealNow());
    this.every(this.config.anchorIntervalMs, () => this.anchorNow({ onlyIfMoved: true }));
    this.log.log({ msg: 'audit sealer started', sealIntervalMs: this.config.sealIntervalMs, anchorIntervalMs: this.config.anchorIntervalMs, anchorTopic: this.config.anchorTopic });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running.catch(() => undefined);
  }

  /** Seals now (one run at a time in this process). */
  sealNow(): Promise<SealResult> {
    return this.serially(() => sealAuditRecords(this.dataSource));
  }

  /** Seals, then publishes the head as an anchor and logs it; null while the chain is empty. */
  anchorNow(options: { onlyIfMoved?: boolean } = {}): Promise<AuditAnchor | null> {
    return this.serially(async () => {
      const anchor = await takeAuditAnchor(this.dataSource);
      if (!anchor || (options.onlyIfMoved && this.lastAnchored === `${anchor.seq}:${anchor.hash}`)) return null;
      await this.ensureTopic();
      await this.anchors().publish(this.requireKafka().producer, anchor);
      this.lastAnchored = `${anchor.seq}:${anchor.hash}`;
      this.log.log({ msg: 'audit anchor', anchor });
      return anchor;
    });
  }

  /** Verifies the chain against every anchor of it on the anchors topic. */
  async verify(): Promise<AuditVerification> {
    this.requireKafka();
    const anchors = await this.anchors().read(await chainName(this.dataSource));
    return verifyAuditChain(this.dataSource, anchors);
  }

  private async ensureTopic(): Promise<void> {
    if (this.topicReady) return;
    await this.anchors().ensure(this.requireKafka().admin);
    this.topicReady = true;
  }

  private anchors(): AuditAnchorTopic {
    return new AuditAnchorTopic(this.requireKafka().kafka, this.config.anchorTopic);
  }

  private requireKafka(): { producer: EventProducer; admin: TopicAdmin; kafka: KafkaClient } {
    if (!this.producer || !this.admin || !this.kafka) throw new Error('the audit sealer needs KafkaModule.forRoot() for its anchors');
    return { producer: this.producer, admin: this.admin, kafka: this.kafka };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.catch(() => undefined).then(work);
    this.running = next;
    return next;
  }

  /** Runs `work` every `ms` after the previous run ended (never overlapping itself). */
  private every(ms: number, work: () => Promise<unknown>): void {
    const schedule = () => {
      const timer: NodeJS.Timeout = setTimeout(() => {
        this.timers.delete(timer);
        if (this.stopped) return;
        work()
          .catch((e: unknown) => this.log.warn({ msg: 'audit sealer run failed; it will try again', error: (e as Error).message }))
          .finally(() => {
            if (!this.stopped) schedule();
          });
      }, ms);
      this.timers.add(timer);
    };
    schedule();
  }
}
