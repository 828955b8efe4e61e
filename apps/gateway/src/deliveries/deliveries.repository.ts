import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AcceptedEventEntity, DeliveryAttemptEntity, DeliveryEntity } from '@rabt/persistence';

/** Reads for delivery status: the publisher's event, and the webhook deliveries made of it. */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The event `agency` published with this id (gateway_event keys it by agency code). */
  publishedEvent(agency: string, eventId: string): Promise<AcceptedEventEntity | null> {
    return this.dataSource.manager.findOneBy(AcceptedEventEntity, { source: agency, eventId });
  }

  /** Deliveries of (CloudEvents source, id), by subscriber agency, each with its attempts in order. */
  async deliveriesOf(source: string, eventId: string): Promise<{ delivery: DeliveryEntity; attempts: DeliveryAttemptEntity[] }[]> {
    const deliveries = await this.dataSource.manager.find(DeliveryEntity, { where: { eventSource: source, eventId }, order: { agencyCode: 'ASC', seq: 'ASC' } });
    if (deliveries.length === 0) return [];
    const attempts = await this.dataSource.manager
      .createQueryBuilder(DeliveryAttemptEntity, 'a')
      .where('a.deliveryId IN (:...ids)', { ids: deliveries.map((d) => d.id) })
      .orderBy('a.attemptNo', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
    return deliveries.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.deliveryId === delivery.id) }));
  }
}
