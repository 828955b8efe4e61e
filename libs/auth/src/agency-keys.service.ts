import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AgencyApiKeyEntity, AgencyEntity, type ApiKeyRole } from '@rabt/persistence';
import { issueKey, revokeKey, type RevokedKeyView } from './agency-admin';
import { parseApiKey, secretMatches } from './api-key';
import { AuthConfig, type ApiKeyPepper } from './auth.config';

/** Who is calling: an agency, through one of its keys, with that key's roles. */
export interface Principal {
  readonly agency: string;
  readonly keyId: string;
  readonly roles: readonly ApiKeyRole[];
}

const CACHE_MS = 5_000;

/**
 * Issues a key for an agency and returns the token — the only time it exists in clear. The
 * positional form of issueKey (agency-admin.ts), for tests and tools that seed keys.
 */
export async function issueAgencyKey(
  manager: EntityManager,
  pepper: string | ApiKeyPepper,
  agencyCode: string,
  label: string,
  roles: readonly ApiKeyRole[] = [],
  actor = 'service:key-seeding',
  expires?: string,
): Promise<{ keyId: string; token: string }> {
  const { keyId, token } = await issueKey(manager, pepper, agencyCode, { label, roles, ...(expires === undefined ? {} : { expires }) }, actor);
  return { keyId, token };
}

/**
 * Issues, revokes and checks agency API keys. A successful check is cached for a few seconds
 * (keyed by the whole token) so that a busy publisher costs one HMAC, not one query, per call;
 * a revocation or suspension made elsewhere (another instance, the rabt CLI) therefore takes
 * effect within CACHE_MS; one made through this service, at once. An expiry takes effect at
 * its instant: a cached check never outlives the key's expiry.
 */
@Injectable()
export class AgencyKeysService implements OnModuleInit {
  private readonly log = new Logger('auth');
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  /** Pepper versions not configured whose keys were presented, each logged once per process. */
  private readonly missingPeppers = new Set<number>();

  constructor(
    @InjectRepository(AgencyApiKeyEntity) private readonly keys: Repository<AgencyApiKeyEntity>,
    @InjectRepository(AgencyEntity) private readonly agencies: Repository<AgencyEntity>,
    private readonly config: AuthConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.developmentPepper) this.log.warn('an API-key pepper is the development default; set a secret one in production');
  }

  issue(agencyCode: string, label: string, roles: readonly ApiKeyRole[] = [], actor?: string): Promise<{ keyId: string; token: string }> {
    return issueAgencyKey(this.keys.manager, this.config.apiKeyPepper, agencyCode, label, roles, actor);
  }

  /** Revokes a key (see revokeKey, also for `ofAgency`); in this process it stops authenticating at once. */
  async revoke(keyId: string, actor: string, ofAgency?: string): Promise<RevokedKeyView> {
    const revoked = await revokeKey(this.keys.manager, keyId, actor, ofAgency);
    this.forget((p) => p.keyId === revoked.id);
    return revoked;
  }

  /** Drops cached checks of an agency's keys, e.g. after it was suspended. */
  forgetAgency(agency: string): void {
    this.forget((p) => p.agency === agency);
  }

  private forget(matches: (principal: Principal) => boolean): void {
    for (const [token, entry] of this.cache) if (matches(entry.principal)) this.cache.delete(token);
  }

  /**
   * The principal behind a token, or undefined for a malformed, unknown, revoked, expired or
   * suspended one, and for one hashed under a pepper version that is not configured
   * (logged once per version, never with the key).
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.until > now) return cached.principal;
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const key = await this.keys.findOne({ where: { id: parsed.keyId }, relations: { agency: true } });
    if (!key || key.revokedAt || key.agency?.status !== 'active') return undefined;
    if (key.expiresAt && key.expiresAt.getTime() <= now) return undefined;
    const pepper = this.config.apiKeyPeppers.get(key.pepperVersion);
    if (pepper === undefined) {
      if (!this.missingPeppers.has(key.pepperVersion)) {
        this.missingPeppers.add(key.pepperVersion);
        this.log.warn(`an API key hashed under pepper version ${key.pepperVersion} was presented, and that version is no longer configured: such keys are refused until reissued`);
      }
      return undefined;
    }
    if (!secretMatches(parsed.secret, key.secretHash, pepper)) return undefined;
    const principal: Principal = { agency: key.agencyCode, keyId: key.id, roles: key.roles };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { principal, until: Math.min(now + CACHE_MS, key.expiresAt?.getTime() ?? Infinity) });
    return principal;
  }
}
