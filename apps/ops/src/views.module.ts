import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardRepository } from './dashboard/dashboard.repository';
import { EventsController } from './events/events.controller';
import { EventsRepository } from './events/events.repository';
import { RegistryController } from './registry/registry.controller';
import { RegistryRepository } from './registry/registry.repository';
import { TransactionsController } from './transactions/transactions.controller';
import { TransactionsRepository } from './transactions/transactions.repository';

/** The read views: event timelines, transactions, the dashboard, schemas, agencies, subscriptions. */
@Module({
  controllers: [EventsController, TransactionsController, DashboardController, RegistryController],
  providers: [EventsRepository, TransactionsRepository, DashboardRepository, RegistryRepository],
})
export class ViewsModule {}
