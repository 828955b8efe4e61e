import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@rabt/auth';
import { requestContextFor } from '@rabt/observability';
import { problem } from '@rabt/runtime';
import { Caller } from '../auth/bearer-auth.guard';
import { PublishConfig } from '../config/gateway.config';
import { fromBinary, fromStructured } from './cloudevent.parser';
import { GatewayException, GatewayExceptionCode, gatewayError, GATEWAY_PROBLEMS } from './gateway.exception';
import { PublishService } from './publish.service';
import { RateLimiter } from './rate-limiter';

const PROBLEM = { description: 'application/problem+json with a stable `code`' };

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly publisher: PublishService,
    private readonly limiter: RateLimiter,
    private readonly config: PublishConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish one CloudEvent',
    description:
      'Structured mode (`Content-Type: application/cloudevents+json`, the whole event as JSON) or binary mode (`Content-Type: application/json`, attributes in `ce-*` headers, the body is `data`). Answered 202 only after Kafka acknowledged (acks=all).',
  })
  @ApiHeader({ name: 'ce-specversion', required: false, description: 'binary mode: 1.0 (also ce-id, ce-source, ce-type, …)' })
  @ApiBody({ schema: { type: 'object', example: { specversion: '1.0', id: 'mom-report-2026-000123', source: 'urn:rabt:agency:mom', type: 'mom.employee.left-work-reported', data: {} } } })
  @ApiResponse({ status: 202, description: '{ id, transactionid, topic, partition, offset }' })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 401, ...PROBLEM })
  @ApiResponse({ status: 403, ...PROBLEM })
  @ApiResponse({ status: 404, ...PROBLEM })
  @ApiResponse({ status: 409, ...PROBLEM })
  @ApiResponse({ status: 413, ...PROBLEM })
  @ApiResponse({ status: 415, ...PROBLEM })
  @ApiResponse({ status: 422, ...PROBLEM })
  @ApiResponse({ status: 429, ...PROBLEM })
  @ApiResponse({ status: 503, ...PROBLEM })
  async publish(@Caller() caller: Principal, @Req() request: FastifyRequest, @Body() body: unknown, @Headers() headers: Record<string, string>) {
    await this.limit(caller, 1, bodyBytes(request, body));
    const structured = isContentType(request, 'application/cloudevents+json');
    if (!structured && !isContentType(request, 'application/json')) throw unsupported(request);
    const event = structured ? fromStructured(body) : fromBinary(headers, body);
    return this.publisher.publish(caller, event, requestContextFor(request.raw).trace.traceparent);
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish up to GATEWAY_BATCH_MAX_EVENTS structured CloudEvents',
    description: 'Body: a JSON array of structured events (`application/cloudevents-batch+json` or `application/json`). Each event is answered separately, in order: `{ results: [{ index, status: 202, … } | { index, status, problem }] }`.',
  })
  @ApiBody({ schema: { type: 'array', items: { type: 'object' } } })
  @ApiResponse({ status: 200, description: 'per-event results' })
  @ApiResponse({ status: 413, ...PROBLEM })
  async batch(@Caller() caller: Principal, @Req() request: FastifyRequest, @Body() body: unknown) {
    if (!isContentType(request, 'application/cloudevents-batch+json') && !isContentType(request, 'application/json')) throw unsupported(request);
    if (!Array.isArray(body) || body.length === 0) throw gatewayError(GatewayExceptionCode.INVALID_CLOUDEVENT, 'a batch is a JSON array of one or more structured CloudEvents');
    if (body.length > this.config.maxBatchEvents) {
      throw gatewayError(GatewayExceptionCode.BATCH_TOO_LARGE, `a batch holds at most ${this.config.maxBatchEvents} events (got ${body.length})`);
    }
    await this.limit(caller, Math.max(1, body.length), bodyBytes(request, body));
    const traceparent = requestContextFor(request.raw).trace.traceparent;
    const results = await Promise.all(
      body.map(async (item: unknown, index) => {
        try {
          return { index, status: 202, ...(await this.publisher.publish(caller, fromStructured(item), traceparent)) };
        } catch (e) {
          if (!(e instanceof GatewayException)) throw e;
          const type = GATEWAY_PROBLEMS[e.code];
          return { index, status: type.status, problem: problem(e.code, type.status, type.title, e.message, { ...(e.details ?? {}) }) };
        }
      }),
    );
    return { results };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An event this agency published, and where it went' })
  @ApiResponse({ status: 200, description: 'the accepted event' })
  @ApiResponse({ status: 404, ...PROBLEM })
  async find(@Caller() caller: Principal, @Param('id') id: string) {
    const row = await this.publisher.find(caller, id);
    return {
      id: row.eventId,
      source: row.attributes['source'],
      type: row.type,
      state: row.state,
      transactionid: row.transactionId,
      receivedAt: row.receivedAt,
      acceptedAt: row.acceptedAt,
      schemaId: row.schemaId,
      topic: row.topic,
      partition: row.partition,
      offset: row.offset === null ? null : String(row.offset),
      attributes: row.attributes,
      data: row.data,
    };
  }

  private async limit(caller: Principal, cost: number, bytes: number): Promise<void> {
    const wait = await this.limiter.take(caller.agency, cost, bytes);
    if (wait > 0) throw new GatewayException(GatewayExceptionCode.RATE_LIMITED, `agency '${caller.agency}' is over its publish rate (events or bytes per second); retry in ${wait} s`, { retryAfterSeconds: wait });
  }
}

/** The request body's size: its Content-Length, or (chunked) the parsed body's JSON size. */
function bodyBytes(request: FastifyRequest, body: unknown): number {
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared >= 0 ? declared : Buffer.byteLength(JSON.stringify(body) ?? '');
}

function isContentType(request: FastifyRequest, type: string): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === type;
}

function unsupported(request: FastifyRequest) {
  return gatewayError(GatewayExceptionCode.UNSUPPORTED_MEDIA_TYPE, `unsupported Content-Type ${request.headers['content-type'] ?? '(none)'}`);
}
