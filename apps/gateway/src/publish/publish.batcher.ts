import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { EventProducer, RecordTooLargeError, type RabtEventAttributes } from '@rabt/kafka';
import type { AcceptedEventEntity } from '@rabt/persistence';
import { PublishConfig } from '../config/gateway.config';
import { AcceptedEventsRepository, reservationKey, type Reservation } from './accepted-events.repository';
import { GatewayExceptionCode, gatewayError } from './gateway.exception';

export interface PublishItem extends Reservation {
  readonly value: Buffer;
  readonly kafkaAttributes: RabtEventAttributes;
}

export type PublishOutcome =
  | { readonly kind: 'accepted'; readonly partition: number; readonly offset: string }
  | { readonly kind: 'existing'; readonly row: AcceptedEventEntity };

const eventTooLarge = (topic: string, eventBytes: number, limitBytes: number) =>
  gatewayError(
    GatewayExceptionCode.EVENT_TOO_LARGE,
    `the event takes ${eventBytes} bytes as a Kafka record (key, Avro value and ce_* headers); topic ${topic} takes at most ${limitBytes} bytes per event`,
    { eventBytes, limitBytes },
  );

/** How long to refuse at once after the broker was unavailable; then one batch probes it again. */
const KAFKA_DOWN_BACKOFF_MS = 2_000;

interface Waiting {
  readonly item: PublishItem;
  readonly resolve: (o: PublishOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * kafkajs sends what it is given, one request per call; the gateway batches itself. Events of
 * concurrent requests gather for at most `lingerMs` (or until `maxBatchEvents`), then one
 * pipeline runs for the batch: claim every (source, id) in one insert, produce all claimed
 * events in one acks=all request, record every broker answer in one update. While a batch is in
 * flight the next one gathers and goes as soon as it returns — a lone event waits only lingerMs.
 */
@Injectable()
export class PublishBatcher implements BeforeApplicationShutdown {
  private readonly log = new Logger('publish');
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** After a failed produce, fail fast until then instead of making every caller wait out retries. */
  private kafkaDownUntil = 0;

  constructor(
    private readonly producer: EventProducer,
    private readonly events: AcceptedEventsRepository,
    private readonly config: PublishConfig,
  ) {}

  /**
   * Queues an event for the next batch. An event larger than its topic takes (or than
   * GATEWAY_MAX_EVENT_BYTES) is refused here, before anything is claimed or produced.
   */
  async submit(item: PublishItem): Promise<PublishOutcome> {
    if (Date.now() < this.kafkaDownUntil) throw gatewayError(GatewayExceptionCode.KAFKA_UNAVAILABLE, 'Kafka is unavailable; nothing was accepted');
    let size;
    try {
      size = await this.producer.measure({ topic: item.topic, attributes: item.kafkaAttributes, value: item.value });
    } catch (e) {
      this.log.warn({ err: e }, 'could not read the topic limits from Kafka');
      throw gatewayError(GatewayExceptionCode.KAFKA_UNAVAILABLE, 'Kafka is unavailable; nothing was accepted');
    }
    const limitBytes = Math.min(size.limitBytes, this.config.maxEventBytes ?? Number.POSITIVE_INFINITY);
    if (size.bytes > limitBytes) throw eventTooLarge(item.topic, size.bytes, limitBytes);
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight) return;
    if (this.queue.length >= this.config.maxBatchEvents) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.config.lingerMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.config.maxBatchEvents);
    this.inFlight = this.run(batch).finally(() => {
      this.inFlight = undefined;
      if (this.queue.length) this.flush(); // these already waited a whole flight
    });
  }

  private async run(batch: Waiting[]): Promise<void> {
    // One event id twice in one batch: the first claims it, the others see it in progress.
    const seen = new Set<string>();
    const unique: Waiting[] = [];
    for (const w of batch) {
      const k = reservationKey(w.item.source, w.item.eventId);
      if (seen.has(k)) w.reject(gatewayError(GatewayExceptionCode.IDEMPOTENCY_IN_PROGRESS, `event ${w.item.eventId} is being published right now`));
      else {
        seen.add(k);
        unique.push(w);
      }
    }
    let claimed: Set<string>;
    try {
      const reserved = await this.events.reserve(unique.map((w) => w.item));
      claimed = reserved.claimed;
      for (const w of unique) {
        const row = reserved.existing.get(reservationKey(w.item.source, w.item.eventId));
        if (row) w.resolve({ kind: 'existing', row });
      }
    } catch (e) {
      this.log.error({ err: e }, 'idempotency store unavailable');
      for (const w of unique) w.reject(gatewayError(GatewayExceptionCode.DATABASE_UNAVAILABLE, 'the idempotency store could not be reached; nothing was accepted'));
      return;
    }
    const toSend = unique.filter((w) => claimed.has(reservationKey(w.item.source, w.item.eventId)));
    if (toSend.length === 0) return;
    let outcomes;
    try {
      outcomes = await this.producer.publishEach(toSend.map((w) => ({ topic: w.item.topic, attributes: w.item.kafkaAttributes, value: w.item.value })));
    } catch (e) {
      outcomes = toSend.map(() => ({ ok: false as const, error: e as Error, unavailable: true as const }));
    }
    const accepted: { w: Waiting; partition: number; offset: string }[] = [];
    const refused: { w: Waiting; error: unknown }[] = [];
    let unavailable: unknown;
    toSend.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) accepted.push({ w, partition: outcome.record.partition, offset: outcome.record.offset });
      else if ('unavailable' in outcome) {
        unavailable ??= outcome.error;
        refused.push({ w, error: gatewayError(GatewayExceptionCode.KAFKA_UNAVAILABLE, 'Kafka did not acknowledge the event; nothing was accepted') });
      } else if (outcome.error instanceof RecordTooLargeError) refused.push({ w, error: eventTooLarge(outcome.error.topic, outcome.error.recordBytes, outcome.error.limitBytes) });
      else refused.push({ w, error: gatewayError(GatewayExceptionCode.EVENT_REFUSED_BY_BROKER, `Kafka refused event ${w.item.eventId}: ${outcome.error.message}`) });
    });
    // Only an unavailable broker opens the fail-fast window: a record refused for what it is
    // (its publisher's doing) is answered to that publisher alone.
    if (unavailable !== undefined) {
      this.log.warn({ err: unavailable, events: refused.length }, 'produce failed; answering 503 and failing fast for a while');
      this.kafkaDownUntil = Date.now() + KAFKA_DOWN_BACKOFF_MS;
    } else this.kafkaDownUntil = 0;
    if (refused.length) {
      await this.events.release(refused.map((r) => r.w.item)).catch((err: unknown) => this.log.error({ err }, 'could not release claims'));
      for (const r of refused) r.w.reject(r.error);
    }
    if (accepted.length === 0) return;
    // Durable now: the answer is 202 even if recording it fails (a later retry re-produces,
    // and consumers deduplicate by source and id).
    await this.events
      .accept(
        accepted.map(({ w, partition, offset }) => ({
          source: w.item.source,
          eventSource: w.item.kafkaAttributes.source,
          eventId: w.item.eventId,
          type: w.item.type,
          topic: w.item.topic,
          transactionId: w.item.transactionId,
          partition,
          offset,
        })),
      )
      .catch((err: unknown) => this.log.error({ err }, 'broker acknowledged but the idempotency record was not updated'));
    for (const { w, partition, offset } of accepted) w.resolve({ kind: 'accepted', partition, offset });
  }

  /** Before Kafka disconnects: send what is queued and wait for the batch in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    this.flush();
    await this.inFlight;
  }
}
