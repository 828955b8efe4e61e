// Grants as plain functions over a TypeORM EntityManager (GrantsService, the gateway's admin API
// and the rabt CLI all use these). The owner of an event type (its catalogue `owner`) publishes
// it without a grant; any other agency needs a `publish` grant to publish it and a `subscribe`
// grant to receive it. Who may grant (the owner or an admin) is the caller's rule, not these.
import { Brackets, type EntityManager } from 'typeorm';
import { CATALOGUE } from '@rabt/contracts';
import { AgencyGrantEntity, type GrantPermission } from '@rabt/persistence';
import { requireAgency } from './agency-admin';
import { AgencyAdminExceptionCode as Code, agencyAdminError } from './agency-admin.exception';
import { validateAgencyCode, validateGrant, validateGrantFilter, type GrantFilter, type GrantInput } from './agency-admin.validation';

export interface GrantView {
  readonly agency: string;
  readonly eventType: string;
  readonly permission: GrantPermission;
  /** The agency that granted it: the type's owner, or an operator such as `ita`. */
  readonly grantedBy: string;
  readonly createdAt: Date;
}

const grantView = (g: AgencyGrantEntity): GrantView => ({ agency: g.agencyCode, eventType: g.eventType, permission: g.permission, grantedBy: g.grantedBy, createdAt: g.createdAt });

/** Whether a grant row exists (ownership is not considered here). */
export async function hasGrant(manager: EntityManager, agency: string, eventType: string, permission: GrantPermission): Promise<boolean> {
  return (await manager.countBy(AgencyGrantEntity, { agencyCode: agency, eventType, permission })) > 0;
}

/**
 * Grants `permission` on `eventType` to `agency`, recorded as granted by `grantedBy`. Granting
 * what is already granted changes nothing (`created: false`, the original grant).
 */
export async function addGrant(manager: EntityManager, input: GrantInput, grantedBy: string): Promise<{ grant: GrantView; created: boolean }> {
  const grant = validateGrant(input);
  const by = validateAgencyCode(grantedBy, Code.INVALID_GRANT);
  if (grant.permission === 'publish' && grant.agency === grant.owner) {
    throw agencyAdminError(Code.INVALID_GRANT, `'${grant.agency}' owns ${grant.eventType} and publishes it without a grant`, {
      errors: [{ path: 'agency', message: 'is the owner of the event type' }],
    });
  }
  await requireAgency(manager, grant.agency);
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(AgencyGrantEntity)
    .values({ agencyCode: grant.agency, eventType: grant.eventType, permission: grant.permission, grantedBy: by })
    .orIgnore()
    .returning(['id'])
    .execute();
  const row = await manager.findOneByOrFail(AgencyGrantEntity, { agencyCode: grant.agency, eventType: grant.eventType, permission: grant.permission });
  return { grant: grantView(row), created: (result.raw as unknown[]).length > 0 };
}

/** Takes a grant away; GRANT_NOT_FOUND if there was none. Returns the grant removed. */
export async function removeGrant(manager: EntityManager, input: GrantInput): Promise<GrantView> {
  const grant = validateGrant(input);
  await requireAgency(manager, grant.agency);
  const row = await manager.findOneBy(AgencyGrantEntity, { agencyCode: grant.agency, eventType: grant.eventType, permission: grant.permission });
  const result = row ? await manager.delete(AgencyGrantEntity, { id: row.id }) : undefined;
  if (!row || !result?.affected) throw agencyAdminError(Code.GRANT_NOT_FOUND, `'${grant.agency}' holds no ${grant.permission} grant on ${grant.eventType}`);
  return grantView(row);
}

/**
 * Grants matching the filter. With `visibleTo`, only those that agency may see: the grants it
 * holds and the grants on the event types it owns.
 */
export async function listGrants(manager: EntityManager, filter: GrantFilter = {}, options: { visibleTo?: string } = {}): Promise<GrantView[]> {
  const valid = validateGrantFilter(filter);
  if (valid.agency !== undefined) await requireAgency(manager, valid.agency);
  const query = manager.createQueryBuilder(AgencyGrantEntity, 'g');
  if (valid.agency !== undefined) query.andWhere('g.agencyCode = :agency', { agency: valid.agency });
  if (valid.eventType !== undefined) query.andWhere('g.eventType = :eventType', { eventType: valid.eventType });
  if (options.visibleTo !== undefined) {
    const me = options.visibleTo;
    const owned = CATALOGUE.filter((e) => e.owner === me).map((e) => e.type);
    query.andWhere(new Brackets((w) => w.where('g.agencyCode = :me', { me }).orWhere('g.eventType = ANY(:owned)', { owned })));
  }
  const rows = await query.orderBy('g.eventType', 'ASC').addOrderBy('g.agencyCode', 'ASC').addOrderBy('g.permission', 'ASC').getMany();
  return rows.map(grantView);
}
