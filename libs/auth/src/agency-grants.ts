// Grants as plain functions over a TypeORM EntityManager (GrantsService, the gateway's admin API
// and the rabt CLI all use these). The owner of an event type (its catalogue `owner`) publishes
// it without a grant; any other agency needs a `publish` grant to publish it and a `subscribe`
// grant to receive it. Who may grant (the owner or an admin) is the caller's rule, not these.
import { Brackets, type EntityManager } from 'typeorm';
import { appendAuditRecords } from '@rabt/audit';
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
 * what is already granted changes nothing (`created: false`, the original grant). A change is
 * written to the audit log (by `actor`) in the same transaction.
 */
export async function addGrant(manager: EntityManager, input: GrantInput, grantedBy: string, actor: string): Promise<{ grant: GrantView; created: boolean }> {
  const grant = validateGrant(input);
  const by = validateAgencyCode(grantedBy, Code.INVALID_GRANT);
  if (grant.permission === 'publish' && grant.agency === grant.owner) {
    throw agencyAdminError(Code.INVALID_GRANT, `'${grant.agency}' owns ${grant.eventType} and publishes it without a grant`, {
      errors: [{ path: 'agency', message: 'is the owner of the event type' }],
    });
  }
  return manager.transaction(async (m) => {
    await requireAgency(m, grant.agency);
    const result = await m
      .createQueryBuilder()
      .insert()
      .into(AgencyGrantEntity)
      .values({ agencyCode: grant.agency, eventType: grant.eventType, permission: grant.permission, grantedBy: by })
      .orIgnore()
      .returning(['id'])
      .execute();
    const row = await m.findOneByOrFail(AgencyGrantEntity, { agencyCode: grant.agency, eventType: grant.eventType, permission: grant.permission });
    const created = (result.raw as unknown[]).length > 0;
    if (created) await appendAuditRecords(m, [grantAudit(actor, 'added', row)]);
    return { grant: grantView(row), created };
  });
}

/** Takes a grant away; GRANT_NOT_FOUND if there was none. Returns the grant removed. */
export async function removeGrant(manager: EntityManager, input: GrantInput, actor: string): Promise<GrantView> {
  const grant = validateGrant(input);
  return manager.transaction(async (m) => {
    await requireAgency(m, grant.agency);
    const row = await m.findOneBy(AgencyGrantEntity, { agencyCode: grant.agency, eventType: grant.eventType, permission: grant.permission });
    const result = row ? await m.delete(AgencyGrantEntity, { id: row.id }) : undefined;
    if (!row || !result?.affected) throw agencyAdminError(Code.GRANT_NOT_FOUND, `'${grant.agency}' holds no ${grant.permission} grant on ${grant.eventType}`);
    await appendAuditRecords(m, [grantAudit(actor, 'removed', row)]);
    return grantView(row);
  });
}

const grantAudit = (actor: string, change: 'added' | 'removed', g: AgencyGrantEntity) =>
  ({
    actor,
    action: 'agency.grant-changed',
    subject: `grant:${g.agencyCode}/${g.eventType}/${g.permission}`,
    details: { change, agency: g.agencyCode, eventType: g.eventType, permission: g.permission, grantedBy: g.grantedBy },
  }) as const;

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
