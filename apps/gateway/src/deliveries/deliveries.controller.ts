import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@rabt/auth';
import { DELIVERY_ERROR_CLASSES } from '@rabt/persistence';
import { Caller } from '../auth/bearer-auth.guard';
import { DeliveriesService } from './deliveries.service';

const PROBLEM = { description: 'application/problem+json with a stable `code`' };

const ATTEMPT = {
  type: 'object',
  properties: {
    attempt: { type: 'integer' },
    startedAt: { type: 'string', format: 'date-time' },
    status: { type: 'integer', nullable: true, description: 'HTTP status; null for a timeout, connection error or refused URL' },
    latencyMs: { type: 'integer' },
    error: { type: 'string', nullable: true, enum: [...DELIVERY_ERROR_CLASSES], description: "the class of the failure; never the subscriber's answer" },
  },
};

const DELIVERIES = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    source: { type: 'string' },
    type: { type: 'string' },
    deliveries: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          agency: { type: 'string', description: 'the subscriber' },
          subscriptionId: { type: 'string', format: 'uuid' },
          webhookId: { type: 'string', description: 'the webhook-id the subscriber receives, the same on every attempt' },
          state: { type: 'string', enum: ['pending', 'delivering', 'delivered', 'retrying', 'dead', 'gone'] },
          attempts: { type: 'integer' },
          lastStatus: { type: 'integer', nullable: true },
          lastError: { type: 'string', nullable: true, enum: [...DELIVERY_ERROR_CLASSES], description: "the class of the last failure; never the subscriber's answer" },
          createdAt: { type: 'string', format: 'date-time' },
          nextAttemptAt: { type: 'string', format: 'date-time', nullable: true },
          deliveredAt: { type: 'string', format: 'date-time', nullable: true },
          history: { type: 'array', items: ATTEMPT },
        },
      },
    },
  },
};

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'Where an event this agency published was delivered',
    description:
      'Per webhook subscriber: the subscription, the state (pending, delivering, delivered, retrying, dead, gone), the attempts with their HTTP status, latency and error class (never the subscriber\'s answer), and when it was delivered. Only the publisher sees this; deliveries appear once the dispatcher has taken the event from the subscriber\'s inbox.',
  })
  @ApiParam({ name: 'id', description: 'the CloudEvents id the agency published' })
  @ApiResponse({ status: 200, schema: DELIVERIES })
  @ApiResponse({ status: 401, ...PROBLEM })
  @ApiResponse({ status: 404, description: "EVENT_NOT_FOUND, also for another agency's event" })
  find(@Caller() caller: Principal, @Param('id') id: string) {
    return this.deliveries.forEvent(caller, id);
  }
}
