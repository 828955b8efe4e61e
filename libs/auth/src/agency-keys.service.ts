import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { AgencyApiKeyEntity, AgencyEntity, type ApiKeyRole } from '@rabt/persistence';
import { newApiKey, parseApiKey, secretMatches } from './api-key';
import { AuthConfig } from './auth.config';

/** Who is calling: an agency, through one of its keys, with that key's roles. */
export interface Principal {
  readonly agency: string;
  readonly keyId: string;
  readonly roles: readonly ApiKeyRole[];
}

export class AgencyKeyError extends Error {
  constructor(
    readonly code: 'AGENCY_NOT_FOUND' | 'AGENCY_SUSPENDED' | 'KEY_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

const CACHE_MS = 5_000;

/**
 * Issues a key for an agency and returns the token — the only time it exists in clear. Plain
 * function so that tools without a Nest container (the rabt CLI) issue keys the same way.
 */
export async function issueAgencyKey(
  manager: EntityManager,
  pepper: string,
  agencyCode: string,
  label: string,
  roles: readonly ApiKeyRole[] = [],
): Promise<{ keyId: string; token: string }> {
  const agency = await manager.findOneBy(AgencyEntity, { code: agencyCode });
  if (!agency) throw new AgencyKeyError('AGENCY_NOT_FOUND', `agency '${agencyCode}' does not exist`);
  const key = newApiKey(pepper);
  await manager.insert(AgencyApiKeyEntity, { id: key.keyId, agencyCode, label, secretHash: key.secretHash, roles: [...roles], revokedAt: null });
  return { keyId: key.keyId, token: key.token };
}

/**
 * Issues, revokes and checks agency API keys. A successful check is cached for a few seconds
 * (keyed by the whole token) so that a busy publisher costs one HMAC, not one query, per call;
 * a revocation therefore takes effect within CACHE_MS.
 */
@Injectable()
export class AgencyKeysService implements OnModuleInit {
  private readonly log = new Logger('auth');
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    @InjectRepository(AgencyApiKeyEntity) private readonly keys: Repository<AgencyApiKeyEntity>,
    @InjectRepository(AgencyEntity) private readonly agencies: Repository<AgencyEntity>,
    private readonly config: AuthConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.developmentPepper) this.log.warn('RABT_API_KEY_PEPPER is the development default; set a secret one in production');
  }

  issue(agencyCode: string, label: string, roles: readonly ApiKeyRole[] = []): Promise<{ keyId: string; token: string }> {
    return issueAgencyKey(this.keys.manager, this.config.apiKeyPepper, agencyCode, label, roles);
  }

  async revoke(keyId: string): Promise<void> {
    const result = await this.keys.update({ id: keyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw new AgencyKeyError('KEY_NOT_FOUND', `no active key ${keyId}`);
    for (const [token, entry] of this.cache) if (entry.principal.keyId === keyId) this.cache.delete(token);
  }

  /** The principal behind a token, or undefined for a malformed, unknown, revoked or suspended one. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const cached = this.cache.get(token);
    if (cached && cached.until > Date.now()) return cached.principal;
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const key = await this.keys.findOne({ where: { id: parsed.keyId }, relations: { agency: true } });
    if (!key || key.revokedAt || key.agency?.status !== 'active') return undefined;
    if (!secretMatches(parsed.secret, key.secretHash, this.config.apiKeyPepper)) return undefined;
    const principal: Principal = { agency: key.agencyCode, keyId: key.id, roles: key.roles };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }
}
