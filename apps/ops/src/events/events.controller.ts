import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventTimelineEntry, EventView } from '@rabt/ops-contracts';
import { canSee, type OperatorPrincipal } from '../auth/roles';
import { CurrentOperator } from '../auth/session.guard';
import { errorAsSeenBy } from '../dead-letters/publisher.view';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { EventsRepository } from './events.repository';

const AGENCY_URN = 'urn:rabt:agency:';

/** An event's path through Rabt: published, routed to each subscriber, attempts, dead letters, replays. */
@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsRepository) {}

  @Get(':id')
  @ApiOperation({ summary: "An event's timeline: query source (agency code or urn:rabt:agency:<code>)" })
  async timeline(@CurrentOperator() operator: OperatorPrincipal, @Param('id') id: string, @Query('source') source?: string): Promise<EventView> {
    const code = source?.startsWith(AGENCY_URN) ? source.slice(AGENCY_URN.length) : source || undefined;
    const notFound = () => opsError(OpsExceptionCode.EVENT_NOT_FOUND, `no event ${id}${code ? ` from ${code}` : ''}`);
    if (id.length > 200 || (code !== undefined && !/^[a-z][a-z0-9]{1,15}$/.test(code))) throw notFound();
    const event = await this.events.find(id, code);
    if (!event) throw notFound();
    const all = await this.events.deliveries(event.source, event.event_id);
    // A subscriber sees its own deliveries only; the publisher and Rabt operators see them all.
    const deliveries = operator.agency === null || operator.agency === event.source ? all : all.filter((d) => d.agency_code === operator.agency);
    if (!canSee(operator, [event.source, ...deliveries.map((d) => d.agency_code)])) throw notFound();
    const ids = deliveries.map((d) => d.id);
    const [attempts, deadLetters] = await Promise.all([this.events.attempts(ids), this.events.deadLetters(ids)]);
    const timeline: EventTimelineEntry[] = [{ at: (event.accepted_at ?? event.received_at).toISOString(), kind: 'published', agency: event.source, detail: event.type }];
    for (const d of deliveries) {
      timeline.push({ at: d.created_at.toISOString(), kind: 'routed', agency: d.agency_code, detail: d.id });
      if (d.delivered_at) timeline.push({ at: d.delivered_at.toISOString(), kind: 'delivered', agency: d.agency_code, status: d.last_status });
    }
    for (const a of attempts) timeline.push({ at: a.started_at.toISOString(), kind: 'attempt', agency: a.agency_code, status: a.status, detail: errorAsSeenBy(operator, a.agency_code, a.status, a.error) ?? `${a.latency_ms} ms` });
    for (const dl of deadLetters) {
      timeline.push({ at: dl.created_at.toISOString(), kind: 'dead-lettered', agency: dl.agency_code, detail: dl.error_code });
      if (dl.replayed_at) timeline.push({ at: dl.replayed_at.toISOString(), kind: 'replayed', agency: dl.agency_code });
      if (dl.discarded_at) timeline.push({ at: dl.discarded_at.toISOString(), kind: 'discarded', agency: dl.agency_code, detail: dl.discard_reason ?? '' });
    }
    timeline.sort((a, b) => a.at.localeCompare(b.at));
    return {
      event: { id: event.event_id, source: `${AGENCY_URN}${event.source}`, type: event.type, subject: event.attributes['subject'] ?? null, time: event.attributes['time'] ?? null, transactionId: event.transaction_id },
      timeline,
      deliveries: deliveries.map((d) => ({
        webhookId: d.id,
        agency: d.agency_code,
        state: d.state,
        attempts: d.attempts,
        lastStatus: d.last_status,
        lastError: errorAsSeenBy(operator, d.agency_code, d.last_status, d.last_error),
        createdAt: d.created_at.toISOString(),
        deliveredAt: d.delivered_at?.toISOString() ?? null,
      })),
    };
  }
}
