import { Body, Controller, createParamDecorator, Delete, Get, Header, HttpCode, Injectable, Param, Post, Put, Query, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { isPlatformAdmin, type Principal } from '@rabt/auth';
import { assertCanAdminister, assertCanImport, assertCanWriteSubject, type AuthenticatedRequest } from '../auth/registry-auth.guard';
import { REGISTRY_CONTENT_TYPE } from './confluent-error.filter';
import { RegistryErrors } from './registry.exception';
import { assertValidSubject, hasControlCharacters, MAX_SCHEMA_ID, parseVersion, RegistryService, type SchemaRequest } from './registry.service';
import { isImportMode, RegistrySettingsService } from './registry-settings.service';

/** Who the audit log says did it. */
const actorOf = (principal: Principal) => `agency:${principal.agency}`;
const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal);
const flag = (v: string | undefined) => v === 'true';

/** Every `{subject}` in a path is a valid subject name (42208 otherwise) before anything reads the store. */
@Injectable()
class ValidSubjectPipe implements PipeTransform<string, string> {
  transform(subject: string): string {
    assertValidSubject(subject);
    return subject;
  }
}
const SubjectParam = () => Param('subject', ValidSubjectPipe);

function schemaId(raw: string): number {
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(id) || id < 1 || id > MAX_SCHEMA_ID) throw RegistryErrors.schemaNotFound();
  return id;
}

/** The subjects a register request's references name (validated later, with the schema). */
function referencedSubjects(body: SchemaRequest | undefined): string[] {
  const references: unknown = body?.references;
  if (!Array.isArray(references)) return [];
  return references.flatMap((r: unknown) => (typeof (r as { subject?: unknown })?.subject === 'string' ? [(r as { subject: string }).subject] : []));
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
  list(@Query('deleted') deleted?: string, @Query('subjectPrefix') prefix?: unknown) {
    if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length > 255 || hasControlCharacters(prefix))) throw RegistryErrors.invalidSubject();
    return this.registry.listSubjects(flag(deleted), prefix);
  }

  @Get(':subject/versions')
  versions(@SubjectParam() subject: string, @Query('deleted') deleted?: string) {
    return this.registry.listVersions(subject, flag(deleted));
  }

  @Post(':subject/versions')
  @HttpCode(200)
  register(@SubjectParam() subject: string, @Body() body: SchemaRequest, @CurrentPrincipal() principal: Principal) {
    assertCanWriteSubject(principal, subject);
    // A reference pins the referenced version against deletion: only subjects the caller may write.
    for (const referenced of referencedSubjects(body)) assertCanWriteSubject(principal, referenced, 'Reference');
    return this.registry.register(subject, body ?? {}, { actor: actorOf(principal), mayImport: isPlatformAdmin(principal) });
  }

  @Post(':subject')
  @HttpCode(200)
  lookup(@SubjectParam() subject: string, @Body() body: SchemaRequest, @Query('deleted') deleted?: string) {
    return this.registry.lookup(subject, body ?? {}, flag(deleted));
  }

  @Get(':subject/versions/:version')
  version(@SubjectParam() subject: string, @Param('version') version: string, @Query('deleted') deleted?: string) {
    return this.registry.getVersion(subject, parseVersion(version), flag(deleted));
  }

  @Get(':subject/versions/:version/schema')
  @Header('Content-Type', REGISTRY_CONTENT_TYPE)
  async rawVersion(@SubjectParam() subject: string, @Param('version') version: string, @Query('deleted') deleted?: string) {
    return (await this.registry.getVersion(subject, parseVersion(version), flag(deleted))).schema;
  }

  @Get(':subject/versions/:version/referencedby')
  referencedBy(@SubjectParam() subject: string, @Param('version') version: string) {
    return this.registry.referencedBy(subject, parseVersion(version));
  }

  @Delete(':subject')
  deleteSubject(@SubjectParam() subject: string, @CurrentPrincipal() principal: Principal, @Query('permanent') permanent?: string) {
    assertCanWriteSubject(principal, subject, 'Delete');
    return this.registry.deleteSubject(subject, flag(permanent), actorOf(principal));
  }

  @Delete(':subject/versions/:version')
  deleteVersion(@SubjectParam() subject: string, @Param('version') version: string, @CurrentPrincipal() principal: Principal, @Query('permanent') permanent?: string) {
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
  all(@SubjectParam() subject: string, @Body() body: SchemaRequest, @Query('verbose') verbose?: string) {
    return this.answer(subject, undefined, body, flag(verbose));
  }

  @Post(':version')
  @HttpCode(200)
  one(@SubjectParam() subject: string, @Param('version') version: string, @Body() body: SchemaRequest, @Query('verbose') verbose?: string) {
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
  async subject(@SubjectParam() subject: string, @Query('defaultToGlobal') defaultToGlobal?: string) {
    return { compatibilityLevel: await this.settings.getCompatibility(subject, flag(defaultToGlobal)) };
  }

  @Put(':subject')
  async setSubject(@SubjectParam() subject: string, @Body() body: { compatibility?: unknown }, @CurrentPrincipal() principal: Principal) {
    assertCanWriteSubject(principal, subject, 'AlterConfigs');
    return { compatibility: await this.settings.setCompatibility(subject, body?.compatibility, actorOf(principal)) };
  }

  @Delete(':subject')
  async deleteSubject(@SubjectParam() subject: string, @CurrentPrincipal() principal: Principal) {
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
    if (isImportMode(body?.mode) || (await this.settings.getMode(undefined, true)) === 'IMPORT') assertCanImport(principal, 'Cluster: schema-registry');
    return { mode: await this.settings.setMode(undefined, body?.mode, flag(force), actorOf(principal)) };
  }

  @Get(':subject')
  async subject(@SubjectParam() subject: string, @Query('defaultToGlobal') defaultToGlobal?: string) {
    return { mode: await this.settings.getMode(subject, flag(defaultToGlobal)) };
  }

  @Put(':subject')
  async setSubject(@SubjectParam() subject: string, @Body() body: { mode?: unknown }, @CurrentPrincipal() principal: Principal, @Query('force') force?: string) {
    assertCanWriteSubject(principal, subject, 'AlterConfigs');
    // IMPORT is entered and left by a platform admin only, on any subject.
    if (isImportMode(body?.mode) || (await this.settings.ownMode(subject)) === 'IMPORT') assertCanImport(principal, `Subject: ${subject}`);
    return { mode: await this.settings.setMode(subject, body?.mode, flag(force), actorOf(principal)) };
  }

  @Delete(':subject')
  async deleteSubject(@SubjectParam() subject: string, @CurrentPrincipal() principal: Principal) {
    assertCanWriteSubject(principal, subject, 'AlterConfigs');
    if ((await this.settings.ownMode(subject)) === 'IMPORT') assertCanImport(principal, `Subject: ${subject}`);
    return { mode: await this.settings.deleteMode(subject, await this.registry.subjectExists(subject), actorOf(principal)) };
  }
}
