import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '@rabt/observability';
import { DeadLettersRepository } from './dead-letters.repository';

/** The ops service's metrics: the open dead-letter backlog (read from Postgres at scrape) and replays. */
@Injectable()
export class DeadLetterMetrics {
  readonly replayed: Counter<'agency' | 'type'>;

  constructor(metrics: MetricsService, deadLetters: DeadLettersRepository) {
    const registers = [metrics.registry];
    this.replayed = new Counter({ name: 'rabt_dead_letters_replayed_total', help: 'Dead letters put back for delivery by operators, by subscriber agency and type', labelNames: ['agency', 'type'], registers });
    new Gauge({
      name: 'rabt_dead_letter_backlog',
      help: 'Open dead letters (neither replayed nor discarded), by subscriber agency',
      labelNames: ['agency'],
      registers,
      async collect() {
        this.reset();
        for (const { agency, count } of await deadLetters.openBacklog()) this.set({ agency }, count);
      },
    });
  }
}
