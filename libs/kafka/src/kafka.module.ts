import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { Kafka } from 'kafkajs';
import { KafkaConfig } from '@rabt/config';
import { ReadinessIndicator } from '@rabt/observability';
import { createKafka } from './kafka.client';
import { KafkaProbe } from './kafka.health';
import { EventProducer } from './event.producer';
import { TopicAdmin } from './topic.admin';

/** Injection token for the shared kafkajs client (only code inside libs/kafka should use it). */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

/** The kafkajs client type, for code outside libs/kafka that receives it by injection. */
export type KafkaClient = Kafka;

@Injectable()
export class KafkaReadinessIndicator extends ReadinessIndicator implements OnApplicationShutdown {
  readonly key = 'kafka';
  private readonly probe: KafkaProbe;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    private readonly indicators: HealthIndicatorService,
  ) {
    super();
    this.probe = new KafkaProbe(kafka);
  }

  async isReady() {
    const session = this.indicators.check(this.key);
    try {
      return session.up(await this.probe.check());
    } catch (e) {
      return session.down({ message: (e as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.probe.close().catch(() => undefined);
  }
}

/** Disconnects producer and admin after consumers (app-level) have stopped. */
@Injectable()
class KafkaLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly producer: EventProducer,
    private readonly admin: TopicAdmin,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

@Module({})
export class KafkaModule {
  /** Global: one client, one producer and one admin per service process. */
  static forRoot(): DynamicModule {
    const logger = new Logger('kafka');
    return {
      module: KafkaModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        {
          provide: KAFKA_CLIENT,
          inject: [KafkaConfig],
          useFactory: (config: KafkaConfig) =>
            createKafka(config, {
              // kafkajs logs every failed attempt as an error; the caller decides what failed for good.
              error: (o, m) => logger.warn({ ...o, msg: m }),
              warn: (o, m) => logger.warn({ ...o, msg: m }),
              info: (o, m) => logger.debug({ ...o, msg: m }),
              debug: (o, m) => logger.debug({ ...o, msg: m }),
            }),
        },
        { provide: EventProducer, inject: [KAFKA_CLIENT], useFactory: (kafka: Kafka) => new EventProducer(kafka) },
        {
          provide: TopicAdmin,
          inject: [KAFKA_CLIENT, KafkaConfig],
          useFactory: (kafka: Kafka, c: KafkaConfig) => new TopicAdmin(kafka, { partitions: c.defaultPartitions, replicationFactor: c.replicationFactor }),
        },
        KafkaReadinessIndicator,
        KafkaLifecycle,
      ],
      exports: [KAFKA_CLIENT, EventProducer, TopicAdmin, KafkaReadinessIndicator],
    };
  }
}
