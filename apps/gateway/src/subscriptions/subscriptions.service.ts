import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GrantsService, SecretKeyConfig } from '@rabt/auth';
import {
  createSubscription,
  enableSubscription,
  getSubscription,
  listSubscriptions,
  removeSubscription,
  rotateWebhookSecret,
  SubscriptionPolicyConfig,
  WebhookPolicyConfig,
  type CreatedSubscriptionView,
  type RotatedSecretView,
  type SubscriptionContext,
  type SubscriptionView,
  type Visibility,
} from '@rabt/routing';

/**
 * Subscriptions for the HTTP API: the plain functions of @rabt/routing (the same ones the rabt
 * CLI runs) with this process's configuration and its cached grant checks.
 */
@Injectable()
export class SubscriptionsService implements OnModuleInit {
  private readonly log = new Logger('subscriptions');
  private readonly context: Omit<SubscriptionContext, 'actor'>;

  constructor(
    dataSource: DataSource,
    private readonly secrets: SecretKeyConfig,
    webhooks: WebhookPolicyConfig,
    policy: SubscriptionPolicyConfig,
    grants: GrantsService,
  ) {
    this.context = {
      manager: dataSource.manager,
      secrets: secrets.box,
      webhooks,
      policy,
      isGranted: (agency, eventType) => grants.isGranted(agency, eventType, 'subscribe'),
    };
  }

  onModuleInit(): void {
    if (this.secrets.developmentKey) this.log.warn('RABT_SECRET_KEY is the development default: webhook signing secrets are not protected at rest; set a secret key in production');
  }

  /** `actor` ('agency:<code>') is who asks, for the audit log; so for every change below. */
  create(input: unknown, actor: string): Promise<CreatedSubscriptionView> {
    return createSubscription({ ...this.context, actor }, input);
  }

  list(filter: unknown, visibility: Visibility): Promise<SubscriptionView[]> {
    return listSubscriptions(this.context.manager, filter, visibility);
  }

  get(id: string, visibility: Visibility): Promise<SubscriptionView> {
    return getSubscription(this.context.manager, id, visibility);
  }

  remove(id: string, visibility: Visibility, actor: string): Promise<SubscriptionView> {
    return removeSubscription(this.context.manager, id, actor, visibility);
  }

  rotateSecret(id: string, visibility: Visibility, actor: string): Promise<RotatedSecretView> {
    return rotateWebhookSecret({ ...this.context, actor }, id, visibility);
  }

  enable(id: string, visibility: Visibility, actor: string): Promise<SubscriptionView> {
    return enableSubscription({ ...this.context, actor }, id, visibility);
  }
}
