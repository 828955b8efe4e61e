import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@rabt/auth';
import { SchemaRegistryClientConfig } from '@rabt/config';
import { CATALOGUE } from '@rabt/contracts';
import { AvroSerde, TopicAdmin } from '@rabt/kafka';
import { AgencyEntity } from '@rabt/persistence';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { PublishConfig } from '../config/gateway.config';
import { AcceptedEventsRepository } from './accepted-events.repository';
import { EventsController } from './events.controller';
import { PublishBatcher } from './publish.batcher';
import { PublishMetrics } from './publish.metrics';
import { PublishService } from './publish.service';
import { RateLimiter } from './rate-limiter';

/** Creates the catalogue's topics at start (idempotent), unless GATEWAY_ENSURE_TOPICS=false. */
@Injectable()
class CatalogueTopics implements OnApplicationBootstrap {
  private readonly log = new Logger('topics');

  constructor(
    private readonly admin: TopicAdmin,
    private readonly config: PublishConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.ensureTopics) return;
    try {
      const created = await this.admin.ensureTopics(CATALOGUE.map((e) => ({ name: e.topic, partitions: e.partitions, retentionMs: e.retentionMs })));
      if (created.length) this.log.log(`created topics: ${created.join(', ')}`);
    } catch (e) {
      // Not fatal: readiness reports Kafka, and publishing answers 503 until the broker is back.
      this.log.warn({ err: e }, 'could not ensure catalogue topics');
    }
  }
}

@Module({
  imports: [AuthModule, TypeOrmModule.forFeature([AgencyEntity])],
  controllers: [EventsController],
  providers: [
    { provide: AvroSerde, inject: [SchemaRegistryClientConfig], useFactory: (c: SchemaRegistryClientConfig) => new AvroSerde(c) },
    AcceptedEventsRepository,
    PublishBatcher,
    PublishService,
    PublishMetrics,
    RateLimiter,
    CatalogueTopics,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
})
export class PublishModule {}
