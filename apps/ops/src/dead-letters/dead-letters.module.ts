import { Module } from '@nestjs/common';
import { ReplayJobsRepository } from '../replays/replay-jobs.repository';
import { ReplayWorker } from '../replays/replay.worker';
import { ReplaysController } from '../replays/replays.controller';
import { ReplaysService } from '../replays/replays.service';
import { DeadLetterMetrics } from './dead-letter.metrics';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersRepository } from './dead-letters.repository';
import { DeadLettersService } from './dead-letters.service';

/** Dead letters: list, show, replay, discard; bulk replays and the worker that does them. */
@Module({
  controllers: [DeadLettersController, ReplaysController],
  providers: [DeadLettersRepository, DeadLettersService, DeadLetterMetrics, ReplayJobsRepository, ReplaysService, ReplayWorker],
})
export class DeadLettersModule {}
