import { Body, Controller, Delete, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { GrantsService, isPlatformAdmin, PLATFORM_AGENCY, validateGrant, type GrantFilter, type GrantInput, type Principal, type ValidGrant } from '@rabt/auth';
import { Caller } from '../auth/bearer-auth.guard';
import { GatewayExceptionCode, gatewayError } from '../publish/gateway.exception';
import { GRANT, GRANT_INPUT, listOf, PROBLEM } from './admin.openapi';

/**
 * Who may publish or receive which event type. The owner of a type (its catalogue `owner`)
 * publishes it without a grant and decides who else may publish or subscribe to it; an admin key
 * of the operator may change any grant. The admin key of any other agency is no owner of other
 * agencies' types. Every agency sees the grants it holds and those on its own types.
 */
@ApiTags('grants')
@ApiBearerAuth()
@ApiResponse({ status: 401, ...PROBLEM })
@Controller('v1/grants')
export class GrantsController {
  constructor(private readonly grants: GrantsService) {}

  @Get()
  @ApiOperation({ summary: "Grants the caller may see (the operator's admin keys see all)" })
  @ApiQuery({ name: 'agency', required: false, description: 'only grants held by this agency' })
  @ApiQuery({ name: 'eventType', required: false, description: 'only grants on this event type' })
  @ApiResponse({ status: 200, schema: listOf('grants', GRANT) })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 404, description: 'UNKNOWN_EVENT_TYPE or AGENCY_NOT_FOUND' })
  async list(@Caller() caller: Principal, @Query() query: GrantFilter) {
    return { grants: await this.grants.list(query, isPlatformAdmin(caller) ? {} : { visibleTo: caller.agency }) };
  }

  @Post()
  @ApiOperation({ summary: 'Grant an agency publish or subscribe on an event type', description: "The type owner or an admin key of the operator only. Granting an existing grant answers 200 with it." })
  @ApiBody({ schema: GRANT_INPUT })
  @ApiResponse({ status: 201, description: 'granted', schema: GRANT })
  @ApiResponse({ status: 200, description: 'was already granted', schema: GRANT })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 403, description: 'NOT_TYPE_OWNER' })
  @ApiResponse({ status: 404, description: 'UNKNOWN_EVENT_TYPE or AGENCY_NOT_FOUND' })
  async add(@Caller() caller: Principal, @Body() body: GrantInput, @Res({ passthrough: true }) reply: FastifyReply) {
    const grant = this.mayChange(caller, body);
    const result = await this.grants.grant(grant, caller.agency, `agency:${caller.agency}`);
    void reply.status(result.created ? 201 : 200);
    return result.grant;
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a grant away', description: 'The grant as a JSON body, or as the query parameters agency, eventType and permission. The type owner or an admin key of the operator only.' })
  @ApiBody({ schema: GRANT_INPUT, required: false })
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 403, description: 'NOT_TYPE_OWNER' })
  @ApiResponse({ status: 404, description: 'GRANT_NOT_FOUND, UNKNOWN_EVENT_TYPE or AGENCY_NOT_FOUND' })
  async remove(@Caller() caller: Principal, @Body() body: unknown, @Query() query: unknown): Promise<void> {
    const given = body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0) ? body : query;
    await this.grants.revoke(this.mayChange(caller, given), `agency:${caller.agency}`);
  }

  /** The grant, validated, if the caller owns its type or is a platform admin; NOT_TYPE_OWNER otherwise. */
  private mayChange(caller: Principal, input: unknown): GrantInput {
    const { owner, ...grant }: ValidGrant = validateGrant(input);
    if (caller.agency !== owner && !isPlatformAdmin(caller)) {
      throw gatewayError(GatewayExceptionCode.NOT_TYPE_OWNER, `${grant.eventType} is owned by '${owner}': only '${owner}' or an admin key of '${PLATFORM_AGENCY}' may change who may ${grant.permission} it`);
    }
    return grant;
  }
}
