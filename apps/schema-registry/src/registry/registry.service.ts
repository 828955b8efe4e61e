import { Injectable } from '@nestjs/common';
import type * as avro from 'avsc';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditTrail, type AuditRecordInput } from '@rabt/audit';
import type { SchemaReferenceRecord } from '@rabt/persistence';
import { checkCompatibility, InvalidAvroSchemaError, normalizeSchemaText, parseAvroSchema, type CompatibilityResult } from '@rabt/avro';
import { jsonDepthExceeds } from '@rabt/runtime';
import { RegistryErrors } from './registry.exception';
import { RegistryRepository, type StoredSchema, type VersionRow } from './registry.repository';
import { RegistrySettingsService } from './registry-settings.service';

/** Body of register / lookup / compatibility calls (Confluent's RegisterSchemaRequest). */
export interface SchemaRequest {
  readonly schema?: unknown;
  readonly schemaType?: unknown;
  readonly references?: unknown;
  readonly id?: unknown;
  readonly version?: unknown;
}

export type VersionSelector = number | 'latest';

export interface SubjectVersionView {
  subject: string;
  id: number;
  version: number;
  schema: string;
  references?: SchemaReferenceRecord[];
}

interface Candidate {
  readonly text: string;
  readonly type: avro.Type;
  readonly fingerprint: string;
  readonly references: SchemaReferenceRecord[];
}

const MAX_VERSION = 2 ** 31 - 1;
/** Schema ids are Postgres integers, as in Confluent's wire format (a signed 4-byte id). */
export const MAX_SCHEMA_ID = 2 ** 31 - 1;
/**
 * Deepest JSON nesting accepted in schema text. A record nested in a record costs three levels
 * (record, fields, field), so this allows some forty nested records, far beyond real contracts,
 * and keeps avsc's recursive parser and the compatibility checker well inside the stack.
 */
export const MAX_SCHEMA_DEPTH = 128;

/** Who registers: `actor` ('agency:<code>') for the audit log; `mayImport` for a platform admin. */
export interface Registrant {
  readonly actor: string;
  readonly mayImport: boolean;
}

/** The body's `id`, or undefined when none is given (absent, null, or Confluent's -1). */
const explicitIdOf = (request: SchemaRequest): unknown => (request.id === undefined || request.id === null || request.id === -1 ? undefined : request.id);

export function parseVersion(raw: string): VersionSelector {
  if (raw === 'latest' || raw === '-1') return 'latest';
  if (/^\d{1,10}$/.test(raw)) {
    const n = Number(raw);
    if (n >= 1 && n <= MAX_VERSION) return n;
  }
  throw RegistryErrors.invalidVersion(raw);
}

/** Control characters, NUL among them, which Postgres text and jsonb refuse. */
// eslint-disable-next-line no-control-regex
export const hasControlCharacters = (text: string): boolean => /[\u0000-\u001f\u007f]/.test(text);

/** A subject name: 1 to 255 characters, no control characters, no surrounding white space. */
export const isValidSubject = (subject: string): boolean => subject.length > 0 && subject.length <= 255 && !hasControlCharacters(subject) && subject.trim() === subject;

export function assertValidSubject(subject: string): void {
  if (!isValidSubject(subject)) throw RegistryErrors.invalidSubject();
}

/**
 * Confluent semantics over Postgres: global ids from 1, one id per distinct schema, versions per
 * subject never reused, soft then permanent deletion, compatibility on registration.
 */
@Injectable()
export class RegistryService {
  /** Schema ids are immutable: their text and parsed type can be cached forever (until purged). */
  private readonly byId = new Map<number, { stored: StoredSchema; type?: avro.Type }>();
  /** Ids that some version (live or soft-deleted) uses; forgotten when versions are purged. */
  private readonly published = new Map<number, { schema: string; references?: SchemaReferenceRecord[] }>();

  constructor(
    private readonly repo: RegistryRepository,
    private readonly settings: RegistrySettingsService,
    private readonly audit: AuditTrail,
  ) {}

  /** A new version is audited with its write. Imports (IMPORT mode, explicit ids) need `mayImport`. */
  async register(subject: string, request: SchemaRequest, registrant: Registrant): Promise<{ id: number }> {
    assertValidSubject(subject);
    const explicitId = explicitIdOf(request ?? {});
    if (explicitId !== undefined && !registrant.mayImport) throw RegistryErrors.forbidden('Import', `Subject: ${subject}`);
    if (explicitId !== undefined) assertSchemaId(explicitId);
    const candidate = await this.candidate(request);
    // Fast path, no lock: producers re-register their schema on every start (and some clients on
    // every send). A live version with this exact schema answers at once; only a real change
    // takes the write lock. Mode still applies: READONLY refuses even a no-op registration.
    if (explicitId === undefined) {
      const existing = await this.repo.liveSchemaIdIn(subject, candidate.fingerprint);
      if (existing !== undefined && (await this.settings.effectiveMode(subject)) !== 'READONLY') return { id: existing };
    }
    return this.repo.inWriteTransaction(async (m) => {
      const mode = await this.settings.effectiveMode(subject, m);
      if (mode === 'READONLY') throw RegistryErrors.notPermitted(`Subject ${subject} is in read-only mode`);
      const importing = mode === 'IMPORT';
      // IMPORT skips compatibility checks and takes versions from the body: an import, whoever set the mode.
      if (importing && !registrant.mayImport) throw RegistryErrors.forbidden('Import', `Subject: ${subject}`);
      if (explicitId !== undefined && !importing) throw RegistryErrors.notPermitted('Schema ids can only be given in IMPORT mode');

      const live = await this.repo.versions(subject, false, m);
      const existingStored = await this.repo.schemaByFingerprint(candidate.fingerprint, m);
      const same = existingStored && live.find((v) => v.schemaId === existingStored.id);
      if (same && (explicitId === undefined || explicitId === same.schemaId)) return { id: same.schemaId };

      if (!importing) {
        const result = await this.check(subject, candidate, live, undefined, m);
        if (!result.compatible) throw RegistryErrors.incompatible(subject, result.messages);
      }

      const id = await this.schemaIdFor(candidate, existingStored, explicitId, m);
      const version = importing && request.version !== undefined ? this.importVersion(request.version) : await this.nextVersion(subject, m);
      if (importing && (await this.repo.versions(subject, true, m)).some((v) => v.version === version)) {
        throw RegistryErrors.notPermitted(`Version ${version} of subject ${subject} already exists`);
      }
      await this.repo.insertVersion({ subject, version, schemaId: id, deleted: false }, m);
      await this.audit.record({ actor: registrant.actor, action: 'schema.registered', subject: `schema:${subject}/${version}`, details: { subject, version, schemaId: id, fingerprint: candidate.fingerprint, imported: importing } }, m);
      return { id };
    });
  }

  async lookup(subject: string, request: SchemaRequest, includeDeleted: boolean): Promise<SubjectVersionView> {
    assertValidSubject(subject);
    const versions = await this.repo.versions(subject, includeDeleted);
    if (versions.length === 0) throw RegistryErrors.subjectNotFound(subject);
    const candidate = await this.candidate(request);
    for (const v of [...versions].reverse()) {
      const stored = await this.stored(v.schemaId);
      if (stored.fingerprint === candidate.fingerprint) return this.view(v, stored);
    }
    throw RegistryErrors.schemaNotFound();
  }

  async listVersions(subject: string, includeDeleted: boolean): Promise<number[]> {
    const versions = await this.repo.versions(subject, includeDeleted);
    if (versions.length === 0) throw RegistryErrors.subjectNotFound(subject);
    return versions.map((v) => v.version);
  }

  async getVersion(subject: string, selector: VersionSelector, includeDeleted: boolean): Promise<SubjectVersionView> {
    const row = await this.findVersion(subject, selector, includeDeleted);
    return this.view(row, await this.stored(row.schemaId));
  }

  async referencedBy(subject: string, selector: VersionSelector): Promise<number[]> {
    const row = await this.findVersion(subject, selector, false);
    return this.repo.referencedBy(subject, row.version);
  }

  listSubjects(includeDeleted: boolean, prefix: string | undefined): Promise<string[]> {
    return this.repo.subjects(includeDeleted, prefix);
  }

  async subjectExists(subject: string): Promise<boolean> {
    return (await this.repo.versions(subject, true)).length > 0 || (await this.repo.setting(subject)) !== null;
  }

  /** The hot read path (every consumer decoding a new id): answered from memory after the first call. */
  async schemaById(id: number): Promise<{ schema: string; references?: SchemaReferenceRecord[] }> {
    const known = this.published.get(id);
    if (known) return known;
    const stored = await this.stored(id);
    if ((await this.repo.usesOf(id, true)).length === 0) throw RegistryErrors.schemaNotFound(id);
    const answer = { schema: stored.schemaText, ...(stored.references.length ? { references: [...stored.references] } : {}) };
    this.published.set(id, answer);
    return answer;
  }

  async usesOfSchema(id: number, includeDeleted: boolean): Promise<{ subject: string; version: number }[]> {
    await this.stored(id);
    const uses = await this.repo.usesOf(id, includeDeleted);
    if (uses.length === 0 && (await this.repo.usesOf(id, true)).length === 0) throw RegistryErrors.schemaNotFound(id);
    return uses.map((u) => ({ subject: u.subject, version: u.version }));
  }

  async deleteVersion(subject: string, selector: VersionSelector, permanent: boolean, actor: string): Promise<number> {
    return this.repo.inWriteTransaction(async (m) => {
      await this.assertWritable(subject, m);
      const all = await this.repo.versions(subject, true, m);
      if (all.length === 0) throw RegistryErrors.subjectNotFound(subject);
      const row = selector === 'latest' ? all.filter((v) => !v.deleted).at(-1) : all.find((v) => v.version === selector);
      if (!row) throw RegistryErrors.versionNotFound(selector === 'latest' ? 'latest' : selector);
      if (!permanent) {
        if (row.deleted) throw RegistryErrors.versionSoftDeleted(subject, row.version);
        if ((await this.repo.referencedBy(subject, row.version, m)).length) throw RegistryErrors.referenceExists(subject, row.version);
        await this.repo.markDeleted(subject, [row.version], m);
      } else {
        if (!row.deleted) throw RegistryErrors.versionNotSoftDeleted(subject, row.version);
        await this.repo.removeVersions(subject, [row.version], m);
        this.published.delete(row.schemaId);
      }
      await this.audit.record(deletedAudit(actor, subject, row, permanent), m);
      return row.version;
    });
  }

  async deleteSubject(subject: string, permanent: boolean, actor: string): Promise<number[]> {
    return this.repo.inWriteTransaction(async (m) => {
      await this.assertWritable(subject, m);
      const all = await this.repo.versions(subject, true, m);
      if (all.length === 0) throw RegistryErrors.subjectNotFound(subject);
      const live = all.filter((v) => !v.deleted);
      if (!permanent) {
        if (live.length === 0) throw RegistryErrors.subjectSoftDeleted(subject);
        for (const v of live) if ((await this.repo.referencedBy(subject, v.version, m)).length) throw RegistryErrors.referenceExists(subject, v.version);
        await this.repo.markDeleted(subject, live.map((v) => v.version), m);
        await this.audit.recordMany(live.map((v) => deletedAudit(actor, subject, v, false)), m);
        return live.map((v) => v.version);
      }
      if (live.length > 0) throw RegistryErrors.subjectNotSoftDeleted(subject);
      await this.repo.removeVersions(subject, all.map((v) => v.version), m);
      await this.repo.saveSetting(subject, { compatibility: null, mode: null }, m);
      for (const v of all) this.published.delete(v.schemaId);
      await this.audit.recordMany(all.map((v) => deletedAudit(actor, subject, v, true)), m);
      return all.map((v) => v.version);
    });
  }

  /** POST /compatibility/...: against one version, or (selector undefined) as the level says. */
  async testCompatibility(subject: string, selector: VersionSelector | undefined, request: SchemaRequest): Promise<CompatibilityResult> {
    assertValidSubject(subject);
    const candidate = await this.candidate(request);
    const live = await this.repo.versions(subject, false);
    if (selector !== undefined && selector !== 'latest') {
      if (live.length === 0 && (await this.repo.versions(subject, true)).length === 0) throw RegistryErrors.subjectNotFound(subject);
      const one = live.find((v) => v.version === selector);
      if (!one) throw RegistryErrors.versionNotFound(selector);
      return this.check(subject, candidate, [one], 'single');
    }
    return this.check(subject, candidate, live, selector === 'latest' ? 'single' : undefined);
  }

  private async check(subject: string, candidate: Candidate, live: readonly VersionRow[], scope: 'single' | undefined, m?: EntityManager): Promise<CompatibilityResult> {
    const level = await this.settings.effectiveCompatibility(subject, m);
    const against = scope === 'single' ? live.slice(-1) : live;
    const previous = await Promise.all(
      against.map(async (v) => ({ version: v.version, type: await this.typeOf(v.schemaId, m), text: (await this.stored(v.schemaId, m)).schemaText })),
    );
    // A single named version is checked in the level's direction, never transitively.
    const effective = scope === 'single' ? (level.replace('_TRANSITIVE', '') as typeof level) : level;
    return checkCompatibility(effective, candidate.type, previous);
  }

  /** Parsing and fingerprinting are pure in (schema text, references): remember the last few hundred. */
  private readonly candidates = new Map<string, Candidate>();

  /**
   * The request is checked in full (shape, schemaType, references) before the cache is asked:
   * the cache knows only schema text, and a text once parsed as AVRO is no licence for another type.
   */
  private async candidate(request: SchemaRequest): Promise<Candidate> {
    const { schema, references } = this.validRequest(request);
    const key = references.length === 0 ? schema : undefined;
    const known = key === undefined ? undefined : this.candidates.get(key);
    if (known) return known;
    const parsed = await this.parseCandidate(schema, references);
    if (key !== undefined) {
      if (this.candidates.size >= 512) this.candidates.delete(this.candidates.keys().next().value!);
      this.candidates.set(key, parsed);
    }
    return parsed;
  }

  private validRequest(request: SchemaRequest): { schema: string; references: SchemaReferenceRecord[] } {
    if (request === null || typeof request !== 'object' || Array.isArray(request)) throw RegistryErrors.badRequest('The request body must be a JSON object');
    if (typeof request.schema !== 'string' || request.schema.trim() === '') throw RegistryErrors.invalidSchema('Invalid schema: the schema field is required');
    if (request.schemaType !== undefined && request.schemaType !== null && request.schemaType !== 'AVRO') {
      const shown = typeof request.schemaType === 'string' ? request.schemaType.slice(0, 64) : typeof request.schemaType;
      throw RegistryErrors.invalidSchema(`Invalid schema: schema type ${shown} is not supported; this registry stores AVRO`);
    }
    return { schema: request.schema, references: this.referenceList(request.references) };
  }

  private async parseCandidate(schema: string, references: SchemaReferenceRecord[]): Promise<Candidate> {
    if (jsonDepthExceeds(schema, MAX_SCHEMA_DEPTH)) throw RegistryErrors.invalidSchema(`Invalid schema: nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
    const resolved = await this.resolveReferences(references);
    try {
      const { type, canonical } = parseAvroSchema(schema, resolved);
      const fingerprint = createHash('sha256').update(canonical).update('\u0000').update(JSON.stringify(references)).digest('hex');
      return { text: normalizeSchemaText(schema), type, fingerprint, references };
    } catch (e) {
      if (e instanceof InvalidAvroSchemaError) throw RegistryErrors.invalidSchema(e.message);
      throw RegistryErrors.invalidSchema(`Invalid schema: ${(e as Error).message}`);
    }
  }

  private referenceList(raw: unknown): SchemaReferenceRecord[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw RegistryErrors.invalidSchema('Invalid schema: references must be a list');
    return raw.map((r: unknown) => {
      const ref = r as { name?: unknown; subject?: unknown; version?: unknown };
      if (typeof ref?.name !== 'string' || typeof ref.subject !== 'string' || typeof ref.version !== 'number' || !Number.isInteger(ref.version)) {
        throw RegistryErrors.invalidSchema('Invalid schema: each reference needs a name, a subject and an integer version');
      }
      if (ref.name.length === 0 || ref.name.length > 1024 || hasControlCharacters(ref.name) || !isValidSubject(ref.subject)) {
        throw RegistryErrors.invalidSchema('Invalid schema: a reference name must be 1 to 1024 characters and its subject a valid subject name, neither with control characters');
      }
      return { name: ref.name, subject: ref.subject, version: ref.version };
    });
  }

  /** Full name -> schema text for every reference, transitively. */
  private async resolveReferences(references: readonly SchemaReferenceRecord[], m?: EntityManager, seen = new Set<string>()): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const ref of references) {
      const key = `${ref.subject}@${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = (await this.repo.versions(ref.subject, false, m)).find((v) => ref.version === -1 || v.version === ref.version);
      if (!row) throw RegistryErrors.invalidSchema(`Invalid schema: reference ${ref.name} names ${ref.subject} version ${ref.version}, which does not exist`);
      const stored = await this.stored(row.schemaId, m);
      Object.assign(out, await this.resolveReferences(stored.references, m, seen));
      out[ref.name] = stored.schemaText;
    }
    return out;
  }

  private async schemaIdFor(candidate: Candidate, existing: StoredSchema | null, explicitId: unknown, m: EntityManager): Promise<number> {
    if (explicitId !== undefined) {
      assertSchemaId(explicitId);
      const atId = await this.repo.schemaById(explicitId, m);
      if (atId && atId.fingerprint !== candidate.fingerprint) throw RegistryErrors.notPermitted(`Overwrite new schema with id ${explicitId} is not permitted.`);
      if (atId) return explicitId;
      if (existing) throw RegistryErrors.notPermitted(`This schema is already registered with id ${existing.id}`);
      await this.repo.insertSchema({ id: explicitId, fingerprint: candidate.fingerprint, schemaText: candidate.text, references: candidate.references }, m);
      return explicitId;
    }
    if (existing) return existing.id;
    const id = await this.repo.nextSchemaId(MAX_SCHEMA_ID, m);
    if (id === undefined) throw RegistryErrors.notPermitted(`No schema id up to ${MAX_SCHEMA_ID} is left`);
    await this.repo.insertSchema({ id, fingerprint: candidate.fingerprint, schemaText: candidate.text, references: candidate.references }, m);
    return id;
  }

  /** The next version of a subject; none is left once an import has taken the highest. */
  private async nextVersion(subject: string, m: EntityManager): Promise<number> {
    const version = await this.repo.nextVersion(subject, m);
    if (version > MAX_VERSION) throw RegistryErrors.notPermitted(`Subject ${subject} has no version number left: its latest is ${MAX_VERSION}`);
    return version;
  }

  private importVersion(raw: unknown): number {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_VERSION) throw RegistryErrors.invalidVersion(String(raw));
    return raw;
  }

  private async assertWritable(subject: string, m: EntityManager): Promise<void> {
    if ((await this.settings.effectiveMode(subject, m)) === 'READONLY') throw RegistryErrors.notPermitted(`Subject ${subject} is in read-only mode`);
  }

  private async findVersion(subject: string, selector: VersionSelector, includeDeleted: boolean): Promise<VersionRow> {
    const versions = await this.repo.versions(subject, includeDeleted);
    if (versions.length === 0) throw RegistryErrors.subjectNotFound(subject);
    const row = selector === 'latest' ? versions.at(-1) : versions.find((v) => v.version === selector);
    if (!row) throw RegistryErrors.versionNotFound(selector);
    return row;
  }

  /**
   * Inside a write transaction every read must go through its manager `m`: a second pool
   * connection could be unobtainable while other writers hold connections waiting for the lock.
   */
  private async stored(id: number, m?: EntityManager): Promise<StoredSchema> {
    const cached = this.byId.get(id);
    if (cached) return cached.stored;
    const stored = await this.repo.schemaById(id, m);
    if (!stored) throw RegistryErrors.schemaNotFound(id);
    this.byId.set(id, { stored });
    return stored;
  }

  private async typeOf(id: number, m?: EntityManager): Promise<avro.Type> {
    const stored = await this.stored(id, m);
    const entry = this.byId.get(id)!;
    entry.type ??= parseAvroSchema(stored.schemaText, await this.resolveReferences(stored.references, m)).type;
    return entry.type;
  }

  private view(row: VersionRow, stored: StoredSchema): SubjectVersionView {
    return {
      subject: row.subject,
      version: row.version,
      id: row.schemaId,
      schema: stored.schemaText,
      ...(stored.references.length ? { references: [...stored.references] } : {}),
    };
  }
}

function assertSchemaId(id: unknown): asserts id is number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MAX_SCHEMA_ID) throw RegistryErrors.badRequest(`id must be an integer between 1 and ${MAX_SCHEMA_ID}`);
}

const deletedAudit = (actor: string, subject: string, v: VersionRow, permanent: boolean): AuditRecordInput => ({
  actor,
  action: 'schema.deleted',
  subject: `schema:${subject}/${v.version}`,
  details: { subject, version: v.version, schemaId: v.schemaId, permanent },
});
