import { Module } from '@nestjs/common';
import { AuthModule } from '@rabt/auth';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Subscriptions over HTTP: an agency subscribes itself to the types it is granted (admins for
 * any agency). Needs SecretKeyConfig and WebhookPolicyConfig from the app's config.
 */
@Module({
  imports: [AuthModule],
  controllers: [SubscriptionsController],
  providers: [SubscriptionsService],
})
export class SubscriptionsModule {}
