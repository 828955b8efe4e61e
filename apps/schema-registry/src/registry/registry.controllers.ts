import { Body, Controller, createParamDecorator, Delete, Get, Header, HttpCode, Param, Post, Put, Query, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@rabt/auth';
import { assertCanAdminister, assertCanWriteSubject, type AuthenticatedRequest } from '../auth/registry-auth.guard';
import { REGISTRY_CONTENT_TYPE } from './confluent-error.filter';
import { RegistryErrors } from './registry.exception';
import { assertValidSubject, parseVersion, RegistryService, type SchemaRequest } from './registry.service';
import { RegistrySettingsService } from './registry-settings.service';

/** Who the audit log says did it. */
const actorOf = (principal: Principal) => `agency:${principal.agency}`;
const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal);
const flag = (v: string | undefined) => v === 'true';

function schemaId(raw: string): number {
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(id) || id < 1) throw RegistryErrors.schemaNotFound();
  return id;
}

/** GET / and the supported schema types. */
@Controller()
export class RootController {
  @Get()
  root() {
    return {};
  }

  @Get('schemas/types')
  types() {
    return ['AVRO'];
  }
}

@Controller('schemas/ids/:id')
export class SchemasController {
  constructor(private readonly registry: RegistryService) {}

  @Get()
  byId(@Param('id') id: string) {
    return this.registry.schemaById(schemaId(id));
  }

  @Get('schema')
  @Header('Content-Type', REGISTRY_CONTENT_TYPE)
  async rawById(@Param('id') id: string) {
    return (await this.registry.schemaById(schemaId(id))).schema;
  }

  @Get('versions')
  versions(@Param('id') id: string, @Query('deleted') deleted?: string) {
    return this.registry.usesOfSchema(schemaId(id), flag(deleted));
  }

  @Get('subjects')
  async subjects(@Param('id') id: string, @Query('deleted') deleted?: string) {
    return [...new Set((await this.registry.usesOfSchema(schemaId(id), flag(deleted))).map((u) => u.subject))];
  }
}

@Controller('subjects')
export class SubjectsController {
  constructor(private readonly registry: RegistryService) {}

  @Get()
  list(@Query('deleted') deleted?: string, @Query('subjectPrefix') prefix?: string) {
    return this.registry.listSubjects(flag(deleted), prefix);
  }

  @Get(':subject/versions')
  versions(@Param('subject') subject: string, @Query('deleted') deleted?: string) {
    return this.registry.listVersions(subject, flag(deleted));
  }

  @Post(':subject/versions')
  @HttpCode(200)
  register(@Param('subject') subject: string, @Body() body: SchemaRequest, @CurrentPrincipal() principal: Principal) {
    assertValidSubject(subject);
    assertCanWriteSubject(principal, subject);
    return this.registry.register(subject, body ?? {}, actorOf(principal));
  }

  @Post(':subject')
  @HttpCode(200)
  lookup(@Param('subject') subject: string, @Body() body: SchemaRequest, @Query('deleted') deleted?: string) {
    return this.registry.lookup(subject, body ?? {}, flag(deleted));
  }

  @Get(':subject/versions/:version')
  version(@Param('subject') subject: string, @Param('version') version: string, @Query('deleted') deleted?: string) {
    return this.registry.getVersion(subject, parseVersion(version), flag(deleted));
  }

  @Get(':subject/versions/:version/schema')
  @Header('Content-Type', REGISTRY_CONTENT_TYPE)
  async rawVersion(@Param('subject') subject: string, @Param('version') version: string, @Query('deleted') deleted?: string) {
    return (await this.registry.getVersion(subject, parseVersion(version), flag(deleted))).schema;
  }

  @Get(':subject/versions/:version/referencedby')
  referencedBy(@Param('subject') subject: string, @Param('version') version: string) {
    return this.registry.referencedBy(subject, parseVersion(version));
  }

  @Delete(':subject')
  deleteSubject(@Param('subject') subject: string, @CurrentPrincipal() principal: Principal, @Query('permanent') permanent?: string) {
    assertCanWriteSubject(principal, subject, 'Delete');
    return this.registry.deleteSubject(subject, flag(permanent), actorOf(principal));
  }

  @Delete(':subject/versions/:version')
  deleteVersion(@Param('subject') subject: string, @Param('version') version: string, @CurrentPrincipal() principal: Principal, @Query('permanent') permanent?: string) {
    const selector = parseVersion(version);
    assertCanWriteSubject(principal, subject, 'Delete');
    return this.registry.deleteVersion(subject, selector, flag(permanent), actorOf(principal));
  }
}

@Controller('compatibility/subjects/:subject/versions')
export class CompatibilityController {
  constructor(private readonly registry: RegistryService) {}

  @Post()
  @HttpCode(200)
  all(@Param('subject') subject: string, @Body() body: SchemaRequest, @Query('verbose') verbose?: string) {
    return this.answer(subject, undefined, body, flag(verbose));
  }

  @Post(':version')
  @HttpCode(200)
  one(@Param('subject') subject: string, @Param('version') version: string, @Body() body: SchemaRequest, @Query('verbose') verbose?: string) {
    return this.answer(subject, version, body, flag(verbose));
  }

  private async answer(subject: string, version: string | undefined, body: SchemaRequest, verbose: boolean) {
    const result = await this.registry.testCompatibility(subject, version === undefined ? undefined : parseVersion(version), body ?? {});
    return { is_compatible: result.compatible, ...(verbose ? { messages: result.messages } : {}) };
  }
}

@Controller('config')
export class ConfigController {
  constructor(
    private readonly settings: RegistrySettingsService,
    private readonly registry: RegistryService,
  ) {}

  @Get()
  async global() {
    return { compatibilityLevel: await this.settings.getCompatibility(undefined, true) };
  }

  @Put()
  async setGlobal(@Body() body: { compatibility?: unknown }, @CurrentPrincipal() principal: Principal) {
    assertCanAdminister(principal);
    return { compatibility: await this.settings.setCompatibility(undefined, body?.compatibility, actorOf(principal)) };
  }

  @Delete()
  async deleteGlobal(@CurrentPrincipal() principal: Principal) {
    assertCanAdminister(principal);
    return { compatibilityLevel: await this.settings.deleteCompatibility(undefined, true, actorOf(principal)) };
  }

  @Get(':subject')
  async subject(@Param('subject') subject: string, @Query('defaultToGlobal') defaultToGlobal?: string) {
    assertValidSubject(subject);
    return { compatibilityLevel: await this.settings.getCompatibility(subject, flag(defaultToGlobal)) };
  }

  @Put(':subject')
  async setSubject(@Param('subject') subject: string, @Body() body: { compatibility?: unknown }, @CurrentPrincipal() principal: Principal) {
    assertValidSubject(subject);
    assertCanWriteSubject(principal, subject, 'AlterConfigs');
    return { compatibility: await this.settings.setCompatibility(subject, body?.compatibility, actorOf(principal)) };
  }

  @Delete(':subject')
  async deleteSubject(@Param('subject') subject: string, @CurrentPrincipal() principal: Principal) {
    assertCanWriteSubject(principal, subject, 'AlterConfigs');
    return { compatibilityLevel: await this.settings.deleteCompatibility(subject, await this.registry.subjectExists(subject), actorOf(principal)) };
  }
}

@Controller('mode')
export class ModeController {
  constructor(
    private readonly settings: RegistrySettingsService,
    private readonly registry: RegistryService,
  ) {}

  @Get()
  async global() {
    return { mode: await this.settings.getMode(undefined, true) };
  }

  @Put()
  async setGlobal(@Body() body: { mode?: unknown }, @CurrentPrincipal() principal: Principal, @Query('force') force?: string) {
    assertCanAdminister(principal);
    return { mode: await this.settings.setMode(undefined, body?.mode, flag(force), actorOf(principal)) };
  }

  @Get(':subject')
  async subject(@Param('subject') subject: string, @Query('defaultToGlobal') defaultToGlobal?: string) {
    assertValidSubject(subject);
    return { mode: await this.settings.getMode(subject, flag(defaultToGlobal)) };
  }

  @Put(':subject')
  async setSubject(@Param('subject') subject: string, @Body() body: { mode?: unknown }, @CurrentPrincipal() principal: Principal, @Query('force') force?: string) {
    assertValidSubject(subject);
    assertCanWriteSubject(principal, subject, 'AlterConfigs');
    return { mode: await this.settings.setMode(subject, body?.mode, flag(force), actorOf(principal)) };
  }

  @Delete(':subject')
  async deleteSubject(@Param('subject') subject: string, @CurrentPrincipal() principal: Principal) {
    assertCanWriteSubject(principal, subject, 'AlterConfigs');
    return { mode: await this.settings.deleteMode(subject, await this.registry.subjectExists(subject), actorOf(principal)) };
  }
}
