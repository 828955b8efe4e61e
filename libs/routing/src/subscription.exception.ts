import { DomainException, type ProblemMapping } from '@rabt/runtime';

/** Why a subscription was refused or not found. Closed set. */
export enum SubscriptionExceptionCode {
  INVALID_SUBSCRIPTION = 'INVALID_SUBSCRIPTION',
  INVALID_FILTER = 'INVALID_FILTER',
  INVALID_PROJECTION = 'INVALID_PROJECTION',
  WEBHOOK_URL_REFUSED = 'WEBHOOK_URL_REFUSED',
  UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE',
  NOT_SUBSCRIBE_GRANTED = 'NOT_SUBSCRIBE_GRANTED',
  SUBSCRIPTION_NOT_FOUND = 'SUBSCRIPTION_NOT_FOUND',
  SUBSCRIPTION_EXISTS = 'SUBSCRIPTION_EXISTS',
  NO_WEBHOOK = 'NO_WEBHOOK',
  SUBSCRIPTION_QUOTA_EXCEEDED = 'SUBSCRIPTION_QUOTA_EXCEEDED',
}

/** Thrown by the functions of @rabt/routing; `details.errors` lists each problem with its field. */
export class SubscriptionException extends DomainException<SubscriptionExceptionCode> {}

/** code -> HTTP meaning, for services that expose subscriptions (the gateway). */
export const SUBSCRIPTION_PROBLEMS: ProblemMapping<SubscriptionExceptionCode> = {
  [SubscriptionExceptionCode.INVALID_SUBSCRIPTION]: { status: 400, title: 'The subscription is not valid' },
  [SubscriptionExceptionCode.INVALID_FILTER]: { status: 400, title: 'The filter is not a valid CEL condition over event and data' },
  [SubscriptionExceptionCode.INVALID_PROJECTION]: { status: 400, title: 'The projection names fields the event type does not have' },
  [SubscriptionExceptionCode.WEBHOOK_URL_REFUSED]: { status: 400, title: 'Rabt does not deliver to this webhook URL' },
  // Same meaning and status as the code of the same name of the publish and grants APIs.
  [SubscriptionExceptionCode.UNKNOWN_EVENT_TYPE]: { status: 404, title: 'No such event type in the catalogue' },
  [SubscriptionExceptionCode.NOT_SUBSCRIBE_GRANTED]: { status: 403, title: 'The agency holds no subscribe grant on this event type' },
  [SubscriptionExceptionCode.SUBSCRIPTION_NOT_FOUND]: { status: 404, title: 'No such subscription' },
  [SubscriptionExceptionCode.SUBSCRIPTION_EXISTS]: { status: 409, title: 'The agency already subscribes to this event type at this destination' },
  [SubscriptionExceptionCode.NO_WEBHOOK]: { status: 409, title: 'The subscription has no webhook' },
  [SubscriptionExceptionCode.SUBSCRIPTION_QUOTA_EXCEEDED]: { status: 409, title: 'The agency or the event type already has as many subscriptions as allowed' },
};

export const subscriptionError = (code: SubscriptionExceptionCode, message: string, details?: Record<string, unknown>) => new SubscriptionException(code, message, details);
