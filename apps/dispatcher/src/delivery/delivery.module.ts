import { Module } from '@nestjs/common';
import { AuditModule } from '@rabt/audit';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DeliveryAttemptService } from './delivery-attempt.service';
import { DeliveryClaimsRepository } from './delivery-claims.repository';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryOutcomesRepository } from './delivery-outcomes.repository';
import { DeliveryWorker } from './delivery.worker';
import { EndpointGuard } from './endpoint.guard';
import { WebhookClient } from './webhook.client';

/** Claims due deliveries and attempts them: retries, ordering, endpoint limits and circuits, the SSRF guard. */
@Module({
  imports: [SubscriptionsModule, AuditModule],
  providers: [DeliveryClaimsRepository, DeliveryOutcomesRepository, DeliveryMetrics, EndpointGuard, WebhookClient, DeliveryAttemptService, DeliveryWorker],
  exports: [DeliveryWorker],
})
export class DeliveryModule {}
