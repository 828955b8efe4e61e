import { Module } from '@nestjs/common';
import { SubscriptionsCache } from './subscriptions.cache';

/** Subscriptions as the dispatcher reads them (cached by id). */
@Module({ providers: [SubscriptionsCache], exports: [SubscriptionsCache] })
export class SubscriptionsModule {}
