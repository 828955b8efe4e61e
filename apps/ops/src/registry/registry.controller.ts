import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CATALOGUE, type CatalogueEntry } from '@rabt/contracts';
import { KeyExpiryConfig, listExpiringKeys } from '@rabt/auth';
import type { Agency, ExpiringApiKeys, Items, SchemaSubject, SchemaVersion, SubscriptionView } from '@rabt/ops-contracts';
import { listSubscriptions, type SubscriptionView as StoredSubscriptionView } from '@rabt/routing';
import type { OperatorPrincipal } from '../auth/roles';
import { CurrentOperator } from '../auth/session.guard';
import { OpsExceptionCode, opsError } from '../ops.exception';
import { RegistryRepository } from './registry.repository';

const prettyJson = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

// @rabt/routing's view (with Date objects) and the wire type have the same fields: one added to
// either and not the other does not compile.
type SameFields = [keyof StoredSubscriptionView] extends [keyof SubscriptionView] ? ([keyof SubscriptionView] extends [keyof StoredSubscriptionView] ? true : false) : false;
const _subscriptionFieldsAreTheWireFields: SameFields = true;

/** A subscription as the ops API sends it: its times as ISO strings (what JSON makes of its dates). */
const subscriptionWire = (s: StoredSubscriptionView): SubscriptionView => ({
  ...s,
  webhook: s.webhook ? { ...s.webhook, previousSecretExpiresAt: s.webhook.previousSecretExpiresAt?.toISOString() ?? null } : null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

/** Schemas (with their versions), agencies (grants, subscription counts) and subscriptions (never a secret). */
@ApiTags('registry')
@Controller('v1')
export class RegistryController {
  constructor(
    private readonly registry: RegistryRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keyExpiry: KeyExpiryConfig,
  ) {}

  @Get('schemas')
  @ApiOperation({ summary: 'Every registered subject: type, owner, latest version, compatibility' })
  async schemas(): Promise<Items<SchemaSubject>> {
    const [subjects, global] = await Promise.all([this.registry.subjects(), this.registry.globalCompatibility()]);
    const bySubject = new Map<string, CatalogueEntry>(CATALOGUE.map((e) => [e.subject, e]));
    return {
      items: subjects.map((s) => {
        const entry = bySubject.get(s.subject);
        return { subject: s.subject, type: entry?.type ?? null, owner: entry?.owner ?? null, latestVersion: s.latest_version, compatibility: s.compatibility ?? global ?? entry?.compatibility ?? 'BACKWARD' };
      }),
    };
  }

  @Get('schemas/:subject/versions')
  @ApiOperation({ summary: "A subject's versions, each schema as pretty JSON text (for diffs)" })
  async versions(@Param('subject') subject: string): Promise<Items<SchemaVersion>> {
    const rows = subject.length <= 255 ? await this.registry.versions(subject) : [];
    if (rows.length === 0) throw opsError(OpsExceptionCode.SUBJECT_NOT_FOUND, `no subject ${subject}`);
    return { items: rows.map((r) => ({ version: r.version, id: r.id, schema: prettyJson(r.schema_text), registeredAt: r.created_at.toISOString() })) };
  }

  @Get('agencies')
  @ApiOperation({ summary: 'Agencies with their grants and how many subscriptions they have (an agency account: its own)' })
  async agencies(@CurrentOperator() operator: OperatorPrincipal): Promise<Items<Agency>> {
    const rows = await this.registry.agencies(operator.agency);
    return { items: rows.map((a) => ({ code: a.code, name: a.name_en, nameAr: a.name_ar, status: a.status, grants: a.grants ?? [], subscriptions: a.subscriptions })) };
  }

  @Get('subscriptions')
  @ApiOperation({ summary: 'Subscriptions (query agency); never a secret' })
  async subscriptions(@CurrentOperator() operator: OperatorPrincipal, @Query('agency') agency?: string): Promise<Items<SubscriptionView>> {
    const items = await listSubscriptions(this.dataSource.manager, agency ? { agency } : {}, operator.agency ? { visibleTo: operator.agency } : {});
    return { items: items.map(subscriptionWire) };
  }

  @Get('api-keys/expiring')
  @ApiOperation({
    summary: 'Live API keys that expire within RABT_API_KEY_EXPIRY_WARNING_DAYS, soonest first (an agency account: its own agency’s); id, agency, label and expiry, never a secret',
  })
  async expiringKeys(@CurrentOperator() operator: OperatorPrincipal): Promise<ExpiringApiKeys> {
    const now = new Date();
    const until = new Date(now.getTime() + this.keyExpiry.warningDays * 86_400_000);
    const keys = await listExpiringKeys(this.dataSource.manager, until, { now, ...(operator.agency ? { agency: operator.agency } : {}) });
    return { items: keys.map((k) => ({ id: k.id, agency: k.agency, label: k.label, expiresAt: k.expiresAt.toISOString() })), warningDays: this.keyExpiry.warningDays };
  }
}
