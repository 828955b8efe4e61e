import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AgencyGrantEntity, type GrantPermission } from '@rabt/persistence';

const CACHE_MS = 5_000;

/**
 * Who may publish or receive which event type. The owner of a type (its catalogue entry)
 * publishes it without a grant; everything else needs a grant row. Answers are cached for a
 * few seconds, so a revoked grant stops working within CACHE_MS.
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
    const allowed = (await this.grants.countBy({ agencyCode: agency, eventType, permission })) > 0;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { allowed, until: Date.now() + CACHE_MS });
    return allowed;
  }

  async grant(agency: string, eventType: string, permission: GrantPermission, grantedBy: string): Promise<AgencyGrantEntity> {
    await this.grants.createQueryBuilder().insert().values({ agencyCode: agency, eventType, permission, grantedBy }).orIgnore().execute();
    this.cache.clear();
    return this.grants.findOneByOrFail({ agencyCode: agency, eventType, permission });
  }

  async revoke(agency: string, eventType: string, permission: GrantPermission): Promise<boolean> {
    const result = await this.grants.delete({ agencyCode: agency, eventType, permission });
    this.cache.clear();
    return (result.affected ?? 0) > 0;
  }

  list(filter: { agency?: string; eventType?: string } = {}): Promise<AgencyGrantEntity[]> {
    return this.grants.find({
      where: { ...(filter.agency ? { agencyCode: filter.agency } : {}), ...(filter.eventType ? { eventType: filter.eventType } : {}) },
      order: { eventType: 'ASC', agencyCode: 'ASC', permission: 'ASC' },
    });
  }
}
