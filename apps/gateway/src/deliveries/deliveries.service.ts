import { Injectable } from '@nestjs/common';
import type { Principal } from '@rabt/auth';
import { deliveryErrorClass, type DeliveryErrorClass, type DeliveryState } from '@rabt/persistence';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';
import { DeliveriesRepository } from './deliveries.repository';

export interface AttemptView {
  readonly attempt: number;
  readonly startedAt: Date;
  readonly status: number | null;
  readonly latencyMs: number;
  /** The class of the failure, never the subscriber's answer (see deliveryErrorClass). */
  readonly error: DeliveryErrorClass | null;
}

export interface DeliveryView {
  readonly agency: string;
  readonly subscriptionId: string;
  /** The webhook-id the subscriber receives (stable across retries). */
  readonly webhookId: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: DeliveryErrorClass | null;
  readonly createdAt: Date;
  /** When the next attempt is due; null unless pending or retrying. */
  readonly nextAttemptAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly history: readonly AttemptView[];
}

const agencySource = (agency: string) => `urn:rabt:agency:${agency}`;

/**
 * Where an agency's own event went: each webhook delivery, per subscriber. Of a failure the
 * publisher sees the HTTP status and an error class only: the subscriber's answer and the
 * addresses its host resolved to are the subscriber's and the operator's business.
 */
@Injectable()
export class DeliveriesService {
  constructor(private readonly repository: DeliveriesRepository) {}

  async forEvent(caller: Principal, eventId: string): Promise<{ id: string; source: string; type: string; deliveries: DeliveryView[] }> {
    const event = await this.repository.publishedEvent(caller.agency, eventId);
    if (!event) throw gatewayError(GatewayExceptionCode.EVENT_NOT_FOUND, `agency '${caller.agency}' published no event with id ${eventId}`);
    const source = agencySource(caller.agency);
    const rows = await this.repository.deliveriesOf(source, eventId);
    return {
      id: eventId,
      source,
      type: event.type,
      deliveries: rows.map(({ delivery: d, attempts }) => ({
        agency: d.agencyCode,
        subscriptionId: d.subscriptionId,
        webhookId: d.id,
        state: d.state,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        lastError: deliveryErrorClass(d.lastStatus, d.lastError),
        createdAt: d.createdAt,
        nextAttemptAt: d.state === 'pending' || d.state === 'retrying' ? d.nextAttemptAt : null,
        deliveredAt: d.deliveredAt,
        history: attempts.map((a) => ({ attempt: a.attemptNo, startedAt: a.startedAt, status: a.status, latencyMs: a.latencyMs, error: deliveryErrorClass(a.status, a.error) })),
      })),
    };
  }
}
