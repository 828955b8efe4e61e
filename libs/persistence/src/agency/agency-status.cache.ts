import type { EntityManager } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/**
 * Whether agencies are active, each answer reused for `ttlMs`: the router and the dispatcher ask
 * it for every event and every delivery, so that a suspended agency receives nothing within
 * `ttlMs` of its suspension. An agency that is not registered counts as not active.
 */
export class AgencyStatusCache {
  private readonly answers = new Map<string, { active: boolean; until: number }>();

  constructor(
    private readonly manager: EntityManager,
    private readonly ttlMs: number,
  ) {}

  async isActive(code: string): Promise<boolean> {
    const cached = this.answers.get(code);
    if (cached && cached.until > Date.now()) return cached.active;
    const row = await this.manager.findOne(AgencyEntity, { where: { code }, select: { code: true, status: true } });
    const active = row?.status === 'active';
    this.answers.set(code, { active, until: Date.now() + this.ttlMs });
    return active;
  }
}
