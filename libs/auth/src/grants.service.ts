import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AgencyGrantEntity, type GrantPermission } from '@rabt/persistence';
import { addGrant, hasGrant, listGrants, removeGrant, type GrantView } from './agency-grants';
import type { GrantFilter, GrantInput } from './agency-admin.validation';

const CACHE_MS = 5_000;

/**
 * Who may publish or receive which event type, for services: the rules are the plain functions
 * of agency-grants.ts; this adds a short cache of answers. The owner of a type publishes it
 * without a grant. A grant changed through this service takes effect here at once; one changed
 * elsewhere (another instance, the rabt CLI) within CACHE_MS.
 */
@Injectable()
export class GrantsService {
  private readonly cache = new Map<string, { allowed: boolean; until: number }>();

  constructor(@InjectRepository(AgencyGrantEntity) private readonly grants: Repository<AgencyGrantEntity>) {}

  async isGranted(agency: string, eventType: string, permission: GrantPermission, owner?: string): Promise<boolean> {
    if (permission === 'publish' && owner === agency) return true;
    const key = `${agency}\u0000${eventType}\u0000${permission}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.allowed;
    const allowed = await hasGrant(this.grants.manager, agency, eventType, permission);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { allowed, until: Date.now() + CACHE_MS });
    return allowed;
  }

  /** `actor` is who asked, for the audit log. */
  async grant(grant: GrantInput, grantedBy: string, actor: string): Promise<{ grant: GrantView; created: boolean }> {
    const result = await addGrant(this.grants.manager, grant, grantedBy, actor);
    this.cache.clear();
    return result;
  }

  async revoke(grant: GrantInput, actor: string): Promise<GrantView> {
    try {
      return await removeGrant(this.grants.manager, grant, actor);
    } finally {
      this.cache.clear();
    }
  }

  list(filter: GrantFilter = {}, options: { visibleTo?: string } = {}): Promise<GrantView[]> {
    return listGrants(this.grants.manager, filter, options);
  }
}
