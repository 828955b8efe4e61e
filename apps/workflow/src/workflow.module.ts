import { Module, type DynamicModule } from '@nestjs/common';
import { SchemaRegistryClientConfig } from '@rabt/config';
import { AvroSerde } from '@rabt/kafka';
import { WorkflowDefinitions } from './definitions/workflow-definitions';
import { WorkflowEventsConsumer } from './intake/workflow-events.consumer';
import { OutboxRelay } from './outbox/outbox.relay';
import { HeldEventsExpiry } from './timers/held-events.expiry';
import { SlaTimerPoller } from './timers/sla-timer.poller';
import { OutboxWaker, TransactionEngine } from './transactions/transaction.engine';
import { TransactionsRepository } from './transactions/transactions.repository';

/** Events in → transactions advanced in Postgres → rabt.transaction.* out through the outbox; SLA timers; held events' expiry. */
@Module({})
export class WorkflowModule {
  static forRoot(definitions: WorkflowDefinitions): DynamicModule {
    return {
      module: WorkflowModule,
      providers: [
        { provide: WorkflowDefinitions, useValue: definitions },
        { provide: AvroSerde, inject: [SchemaRegistryClientConfig], useFactory: (c: SchemaRegistryClientConfig) => new AvroSerde(c) },
        OutboxRelay,
        { provide: OutboxWaker, useExisting: OutboxRelay },
        TransactionsRepository,
        TransactionEngine,
        SlaTimerPoller,
        HeldEventsExpiry,
        WorkflowEventsConsumer,
      ],
      exports: [TransactionEngine, SlaTimerPoller, OutboxRelay],
    };
  }
}
