import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { isPlatformAdmin, type Principal } from '@rabt/auth';
import type { Visibility } from '@rabt/routing';
import { PROBLEM } from '../admin/admin.openapi';
import { Caller } from '../auth/bearer-auth.guard';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';
import { NEW_SUBSCRIPTION, SUBSCRIPTION, SUBSCRIPTIONS, WITH_SECRET } from './subscriptions.openapi';
import { SubscriptionsService } from './subscriptions.service';

const ID = { name: 'id', description: 'the subscription id (UUID)' };
const NOT_FOUND = { status: 404, description: "SUBSCRIPTION_NOT_FOUND, also for another agency's subscription" };

/**
 * Which events of a type an agency receives, how much of each, and where. An agency manages its
 * own subscriptions; an admin key manages everyone's. Subscribing needs a `subscribe` grant from
 * the type's owner (the owner itself needs none).
 */
@ApiTags('subscriptions')
@ApiBearerAuth()
@ApiResponse({ status: 401, ...PROBLEM })
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Subscribe to an event type',
    description:
      'The calling agency subscribes itself (an admin key of the operator may name another agency in `agency`). A webhook gets a new Standard Webhooks signing secret, answered this once. Checks, in order: the body (400 INVALID_SUBSCRIPTION, naming every problem), the type (404), the grant (403 NOT_SUBSCRIBE_GRANTED), the filter (400 INVALID_FILTER, also when its worst-case cost exceeds RABT_FILTER_COST_BUDGET), the projection (400 INVALID_PROJECTION), the webhook URL (400 WEBHOOK_URL_REFUSED: not https, or a private, loopback, link-local or metadata address) and the quotas (409 SUBSCRIPTION_QUOTA_EXCEEDED). Nothing is stored unless all pass.',
  })
  @ApiBody({ schema: NEW_SUBSCRIPTION })
  @ApiResponse({ status: 201, schema: WITH_SECRET })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 403, description: 'NOT_SUBSCRIBE_GRANTED, or OTHER_AGENCY when naming another agency without an admin key of the operator' })
  @ApiResponse({ status: 404, description: 'UNKNOWN_EVENT_TYPE or AGENCY_NOT_FOUND' })
  @ApiResponse({
    status: 409,
    description:
      'SUBSCRIPTION_EXISTS: the agency already subscribes to the type at this webhook URL, or in its inbox; SUBSCRIPTION_QUOTA_EXCEEDED: the agency (RABT_SUBSCRIPTIONS_PER_AGENCY) or the type (RABT_SUBSCRIPTIONS_PER_TYPE) already has as many subscriptions as allowed (`scope`, `limit`, `count`)',
  })
  create(@Caller() caller: Principal, @Body() body: unknown) {
    return this.subscriptions.create(withSubscriber(caller, body), `agency:${caller.agency}`);
  }

  @Get()
  @ApiOperation({ summary: "The caller's subscriptions (the operator's admin keys see all)", description: 'Never a secret.' })
  @ApiQuery({ name: 'agency', required: false, description: 'only this agency’s (the operator’s admin keys)' })
  @ApiQuery({ name: 'eventType', required: false })
  @ApiQuery({ name: 'state', required: false, enum: ['active', 'disabled'] })
  @ApiResponse({ status: 200, schema: SUBSCRIPTIONS })
  @ApiResponse({ status: 400, ...PROBLEM })
  async list(@Caller() caller: Principal, @Query() query: unknown) {
    return { subscriptions: await this.subscriptions.list(query, visibility(caller)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription' })
  @ApiParam(ID)
  @ApiResponse({ status: 200, schema: SUBSCRIPTION })
  @ApiResponse(NOT_FOUND)
  get(@Caller() caller: Principal, @Param('id') id: string) {
    return this.subscriptions.get(id, visibility(caller));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe', description: 'Deletes the subscription; nothing more is delivered for it.' })
  @ApiParam(ID)
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiResponse(NOT_FOUND)
  async remove(@Caller() caller: Principal, @Param('id') id: string): Promise<void> {
    await this.subscriptions.remove(id, visibility(caller), `agency:${caller.agency}`);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give the webhook a new signing secret',
    description: 'Answers the new secret this once. The previous one stays valid until `webhook.previousSecretExpiresAt` (RABT_WEBHOOK_SECRET_OVERLAP_HOURS, 24 h by default): deliveries carry signatures by both meanwhile.',
  })
  @ApiParam(ID)
  @ApiResponse({ status: 200, schema: WITH_SECRET })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: 'NO_WEBHOOK: the subscription delivers to the inbox only' })
  rotateSecret(@Caller() caller: Principal, @Param('id') id: string) {
    return this.subscriptions.rotateSecret(id, visibility(caller), `agency:${caller.agency}`);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate a disabled subscription again', description: 'The grant, the filter (400 INVALID_FILTER, also for a worst-case cost over RABT_FILTER_COST_BUDGET) and the webhook URL are checked again. Enabling an active subscription changes nothing.' })
  @ApiParam(ID)
  @ApiResponse({ status: 200, schema: SUBSCRIPTION })
  @ApiResponse({ status: 400, description: 'WEBHOOK_URL_REFUSED' })
  @ApiResponse({ status: 403, description: 'NOT_SUBSCRIBE_GRANTED: the grant was taken away meanwhile' })
  @ApiResponse(NOT_FOUND)
  enable(@Caller() caller: Principal, @Param('id') id: string) {
    return this.subscriptions.enable(id, visibility(caller), `agency:${caller.agency}`);
  }
}

const visibility = (caller: Principal): Visibility => (isPlatformAdmin(caller) ? {} : { visibleTo: caller.agency });

/** The body with its subscriber: the caller, unless a platform admin names another agency. */
function withSubscriber(caller: Principal, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const agency = (body as { agency?: unknown }).agency ?? caller.agency;
  if (agency !== caller.agency && !isPlatformAdmin(caller)) {
    throw gatewayError(GatewayExceptionCode.OTHER_AGENCY, `this key of agency '${caller.agency}' may subscribe only '${caller.agency}'; subscribing another agency needs an admin key of the operator`);
  }
  return { ...body, agency };
}
