import { deliveryErrorClass } from '@rabt/persistence';
import type { OperatorPrincipal } from '../auth/roles';

/**
 * An agency account sees the deliveries of its agency's events to other agencies, but of those
 * only the status and an error class (deliveryErrorClass): the text the dispatcher recorded is
 * the subscriber's answer (its body may carry internal addresses, stack traces, personal data)
 * or the address its host resolved to. The subscriber's own accounts and Rabt operators (no
 * agency) see the text.
 */
export function errorAsSeenBy<E extends string | null>(operator: OperatorPrincipal, subscriber: string, status: number | null, error: E): E | string {
  if (operator.agency === null || operator.agency === subscriber || error === null) return error;
  return deliveryErrorClass(status, error) ?? 'other';
}
