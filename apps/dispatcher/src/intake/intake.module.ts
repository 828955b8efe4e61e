import { Module } from '@nestjs/common';
import { AuditModule } from '@rabt/audit';
import { SchemaRegistryClientConfig } from '@rabt/config';
import { AvroSerde } from '@rabt/kafka';
import { DeliveryModule } from '../delivery/delivery.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { InboxConsumer } from './inbox.consumer';
import { InboxRepository } from './inbox.repository';

/** Inbox records in, delivery rows out (group DISPATCHER_GROUP_ID). */
@Module({
  imports: [DeliveryModule, SubscriptionsModule, AuditModule],
  providers: [{ provide: AvroSerde, inject: [SchemaRegistryClientConfig], useFactory: (c: SchemaRegistryClientConfig) => new AvroSerde(c) }, InboxRepository, InboxConsumer],
})
export class IntakeModule {}
