import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { isPlatformAdmin, type AgencyChanges, type NewAgency, type NewKey, type Principal } from '@rabt/auth';
import { Caller } from '../auth/bearer-auth.guard';
import { AdminOnlyGuard, requireActsFor, requirePlatformAdmin, requireRolesHeld } from './admin-only.guard';
import { AGENCY, AGENCY_CHANGES, ISSUED_KEY, KEY, listOf, NEW_AGENCY, NEW_KEY, PROBLEM } from './admin.openapi';
import { RegistryAdminService } from './registry-admin.service';

const AGENCY_PARAM = { name: 'code', description: 'agency code, e.g. mom' };

/**
 * The agency registry: agencies and their API keys. Admin keys only (403 ADMIN_ONLY otherwise).
 * An agency's admin key manages its own agency's keys, with roles it holds itself; registering,
 * renaming, suspending and rate-limiting agencies, and every other agency's keys, are for admin
 * keys of the operator (PLATFORM_ONLY, OTHER_AGENCY, ROLE_NOT_HELD). A key of another agency is
 * answered KEY_NOT_FOUND, like a key that does not exist.
 * Bodies are validated by @rabt/auth (400 INVALID_AGENCY / INVALID_KEY naming each bad field).
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, ...PROBLEM })
@ApiResponse({ status: 403, description: "ADMIN_ONLY: the key lacks the admin role; PLATFORM_ONLY or OTHER_AGENCY: the call is for the operator's admin keys; ROLE_NOT_HELD: issuing a role the key does not hold" })
@UseGuards(AdminOnlyGuard)
@Controller('v1/admin')
export class AgenciesController {
  constructor(private readonly registry: RegistryAdminService) {}

  @Post('agencies')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an agency', description: 'The agency starts active, with the gateway default rate limits, and without keys.' })
  @ApiBody({ schema: NEW_AGENCY })
  @ApiResponse({ status: 201, description: 'the agency', schema: AGENCY })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 409, description: 'AGENCY_EXISTS' })
  create(@Caller() caller: Principal, @Body() body: NewAgency) {
    requirePlatformAdmin(caller, 'registering an agency');
    return this.registry.createAgency(body);
  }

  @Get('agencies')
  @ApiOperation({ summary: 'Every agency, by code (an agency admin sees its own only)' })
  @ApiResponse({ status: 200, schema: listOf('agencies', AGENCY) })
  async list(@Caller() caller: Principal) {
    return { agencies: isPlatformAdmin(caller) ? await this.registry.listAgencies() : [await this.registry.getAgency(caller.agency)] };
  }

  @Patch('agencies/:code')
  @ApiOperation({
    summary: 'Rename, suspend or re-activate an agency, or set its publish rate limits',
    description: "A suspended agency's keys stop authenticating (at once on this instance, within 5 s on others). Rate limits apply within 30 s; null returns to the gateway default.",
  })
  @ApiParam(AGENCY_PARAM)
  @ApiBody({ schema: AGENCY_CHANGES })
  @ApiResponse({ status: 200, description: 'the agency as changed', schema: AGENCY })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 404, description: 'AGENCY_NOT_FOUND' })
  update(@Caller() caller: Principal, @Param('code') code: string, @Body() body: AgencyChanges) {
    requirePlatformAdmin(caller, 'changing an agency');
    return this.registry.updateAgency(code, body);
  }

  @Post('agencies/:code/keys')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Issue an API key for an agency',
    description: 'Answers the token once; Rabt keeps only a peppered HMAC of its secret. An agency may hold several active keys, so a key is rotated by issuing a new one and revoking the old one.',
  })
  @ApiParam(AGENCY_PARAM)
  @ApiBody({ schema: NEW_KEY })
  @ApiResponse({ status: 201, schema: ISSUED_KEY })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 404, description: 'AGENCY_NOT_FOUND' })
  issueKey(@Caller() caller: Principal, @Param('code') code: string, @Body() body: NewKey) {
    requireActsFor(caller, code);
    requireRolesHeld(caller, (body as { roles?: unknown } | null)?.roles);
    return this.registry.issueKey(code, body, `agency:${caller.agency}`);
  }

  @Get('agencies/:code/keys')
  @ApiOperation({ summary: "An agency's keys, revoked ones included (never secrets or hashes)" })
  @ApiParam(AGENCY_PARAM)
  @ApiResponse({ status: 200, schema: listOf('keys', KEY) })
  @ApiResponse({ status: 404, description: 'AGENCY_NOT_FOUND' })
  async listKeys(@Caller() caller: Principal, @Param('code') code: string) {
    requireActsFor(caller, code);
    return { keys: await this.registry.listKeys(code) };
  }

  @Delete('keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key for good', description: 'Revoking a revoked key changes nothing (204). The key stays listed, with revokedAt.' })
  @ApiParam({ name: 'keyId', description: 'the key id (UUID) as issued or listed' })
  @ApiResponse({ status: 204, description: 'revoked' })
  @ApiResponse({ status: 400, description: 'INVALID_KEY: not a key id' })
  @ApiResponse({ status: 404, description: 'KEY_NOT_FOUND' })
  async revokeKey(@Caller() caller: Principal, @Param('keyId') keyId: string): Promise<void> {
    await this.registry.revokeKey(keyId, `agency:${caller.agency}`, isPlatformAdmin(caller) ? undefined : caller.agency);
  }
}
