import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from '@rabt/audit';
import { isCompatibilityLevel, type CompatibilityLevel } from '@rabt/avro';
import { RegistryErrors } from './registry.exception';
import { GLOBAL, RegistryRepository } from './registry.repository';

export const MODES = ['READWRITE', 'READONLY', 'IMPORT'] as const;
export type RegistryMode = (typeof MODES)[number];
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';
export const DEFAULT_MODE: RegistryMode = 'READWRITE';

const isMode = (m: unknown): m is RegistryMode => typeof m === 'string' && (MODES as readonly string[]).includes(m);

/** Whether a requested mode (as sent, any case) is IMPORT. */
export const isImportMode = (m: unknown): boolean => typeof m === 'string' && m.toUpperCase() === 'IMPORT';

/** Compatibility levels and modes: per subject, falling back to the registry-wide value. */
@Injectable()
export class RegistrySettingsService {
  constructor(
    private readonly repo: RegistryRepository,
    private readonly audit: AuditTrail,
  ) {}

  async effectiveCompatibility(subject: string, m?: EntityManager): Promise<CompatibilityLevel> {
    const own = (await this.repo.setting(subject, m))?.compatibility;
    if (own && isCompatibilityLevel(own)) return own;
    const global = (await this.repo.setting(GLOBAL, m))?.compatibility;
    return global && isCompatibilityLevel(global) ? global : DEFAULT_COMPATIBILITY;
  }

  async effectiveMode(subject: string, m?: EntityManager): Promise<RegistryMode> {
    const own = (await this.repo.setting(subject, m))?.mode;
    if (isMode(own)) return own;
    const global = (await this.repo.setting(GLOBAL, m))?.mode;
    return isMode(global) ? global : DEFAULT_MODE;
  }

  async getCompatibility(subject: string | undefined, defaultToGlobal: boolean): Promise<CompatibilityLevel> {
    if (subject === undefined) return this.effectiveCompatibility(GLOBAL);
    const own = (await this.repo.setting(subject))?.compatibility;
    if (own && isCompatibilityLevel(own)) return own;
    if (defaultToGlobal) return this.effectiveCompatibility(GLOBAL);
    throw RegistryErrors.compatibilityNotConfigured(subject);
  }

  /** `actor` ('agency:<code>') is who asks, for the audit log; so for every change below. */
  async setCompatibility(subject: string | undefined, level: unknown, actor: string): Promise<CompatibilityLevel> {
    const normalized = typeof level === 'string' ? level.toUpperCase() : level;
    if (!isCompatibilityLevel(normalized)) throw RegistryErrors.invalidCompatibility(level);
    await this.change(subject, { compatibility: normalized }, actor);
    return normalized;
  }

  /** Removes a subject's own level (or resets the global one); answers the level it had. */
  async deleteCompatibility(subject: string | undefined, subjectExists: boolean, actor: string): Promise<CompatibilityLevel> {
    if (subject !== undefined && !subjectExists) throw RegistryErrors.subjectNotFound(subject);
    const before = subject === undefined ? await this.effectiveCompatibility(GLOBAL) : await this.getCompatibility(subject, true);
    await this.change(subject, { compatibility: null }, actor);
    return before;
  }

  /** The subject's own mode, if it has one (no fallback to the global mode). */
  async ownMode(subject: string): Promise<RegistryMode | undefined> {
    const own = (await this.repo.setting(subject))?.mode;
    return isMode(own) ? own : undefined;
  }

  async getMode(subject: string | undefined, defaultToGlobal: boolean): Promise<RegistryMode> {
    if (subject === undefined) return this.effectiveMode(GLOBAL);
    const own = (await this.repo.setting(subject))?.mode;
    if (isMode(own)) return own;
    if (defaultToGlobal) return this.effectiveMode(GLOBAL);
    throw RegistryErrors.modeNotConfigured(subject);
  }

  async setMode(subject: string | undefined, mode: unknown, force: boolean, actor: string): Promise<RegistryMode> {
    const normalized = typeof mode === 'string' ? mode.toUpperCase() : mode;
    if (!isMode(normalized)) throw RegistryErrors.invalidMode(mode);
    if (normalized === 'IMPORT' && !force) {
      // Importing into a registry that already has schemas could collide with existing ids.
      const occupied = subject === undefined ? await this.repo.hasAnyVersion() : (await this.repo.versions(subject, false)).length > 0;
      if (occupied) throw RegistryErrors.notPermitted('Cannot import since found existing subjects');
    }
    await this.change(subject, { mode: normalized }, actor);
    return normalized;
  }

  async deleteMode(subject: string, subjectExists: boolean, actor: string): Promise<RegistryMode> {
    if (!subjectExists) throw RegistryErrors.subjectNotFound(subject);
    const before = await this.getMode(subject, true);
    await this.change(subject, { mode: null }, actor);
    return before;
  }

  /** Saves a setting (null removes it) and its audit record, in one transaction. */
  private async change(subject: string | undefined, patch: { compatibility: string | null } | { mode: string | null }, actor: string): Promise<void> {
    await this.repo.inWriteTransaction(async (m) => {
      await this.repo.saveSetting(subject ?? GLOBAL, patch, m);
      await this.audit.record({ actor, action: 'schema.config-changed', subject: `schema-config:${subject ?? '(global)'}`, details: { subject: subject ?? null, ...patch } }, m);
    });
  }
}
