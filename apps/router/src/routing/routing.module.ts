import { Inject, Injectable, Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchemaRegistryClientConfig } from '@rabt/config';
import { CATALOGUE } from '@rabt/contracts';
import { AvroSerde, DEAD_LETTER_TOPIC, KAFKA_CLIENT, TopicAdmin, TransactionalProcessor, type KafkaClient } from '@rabt/kafka';
import { exitOnFatal } from '@rabt/runtime';
import { RouterConfig } from '../config/router.config';
import { EventRouter } from './event.router';
import { SubscriptionsCache } from './subscriptions.cache';

/** Runs the router's transactional consume → route → produce loop over every catalogue topic. */
@Injectable()
class RouterLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('router');
  private processor: TransactionalProcessor | undefined;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
    private readonly router: EventRouter,
    private readonly topics: TopicAdmin,
    private readonly config: RouterConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.topics.ensureTopics([{ name: DEAD_LETTER_TOPIC }, ...CATALOGUE.map((e) => ({ name: e.topic, partitions: e.partitions, retentionMs: e.retentionMs }))]);
    this.processor = new TransactionalProcessor(this.kafka, {
      groupId: this.config.groupId,
      fromBeginning: this.config.startFrom === 'earliest',
      topics: CATALOGUE.map((e) => e.topic),
      transactionalId: `rabt-router-${this.config.instanceId}`,
      maxRecordsPerTransaction: this.config.maxRecordsPerTransaction,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      partitionsConcurrently: this.config.partitionsConcurrently,
      process: (record) => this.router.route(record),
      onError: (e) => this.log.warn({ err: e }, 'routing batch aborted; it will be retried'),
      onFatal: exitOnFatal(this.log, 'the routing consumer'),
    });
    await this.processor.start();
    this.log.log(`routing ${CATALOGUE.length} event types in group ${this.config.groupId} as rabt-router-${this.config.instanceId}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.processor?.stop();
  }
}

@Module({
  providers: [
    { provide: AvroSerde, inject: [SchemaRegistryClientConfig], useFactory: (c: SchemaRegistryClientConfig) => new AvroSerde(c) },
    SubscriptionsCache,
    EventRouter,
    RouterLoop,
  ],
})
export class RoutingModule {}
