import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AgencyKeysService,
  AuthConfig,
  createAgency,
  getAgency,
  issueKey,
  listAgencies,
  listKeys,
  updateAgency,
  type AgencyChanges,
  type AgencyView,
  type IssuedKeyView,
  type KeyView,
  type NewAgency,
  type NewKey,
  type RevokedKeyView,
} from '@rabt/auth';

/**
 * The agency registry for the admin API: the plain functions of @rabt/auth (the same ones the
 * rabt CLI runs) plus this process's caches, so that a revoked key or a suspended agency stops
 * authenticating here at once (elsewhere within the 5 s cache).
 */
@Injectable()
export class RegistryAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthConfig,
    private readonly keys: AgencyKeysService,
  ) {}

  createAgency(input: NewAgency): Promise<AgencyView> {
    return createAgency(this.dataSource.manager, input);
  }

  listAgencies(): Promise<AgencyView[]> {
    return listAgencies(this.dataSource.manager);
  }

  getAgency(code: string): Promise<AgencyView> {
    return getAgency(this.dataSource.manager, code);
  }

  async updateAgency(code: string, changes: AgencyChanges): Promise<AgencyView> {
    const agency = await updateAgency(this.dataSource.manager, code, changes);
    this.keys.forgetAgency(agency.code);
    return agency;
  }

  /** `actor` is who asked ('agency:<code>'), for the audit log. */
  issueKey(agency: string, input: NewKey, actor: string): Promise<IssuedKeyView> {
    return issueKey(this.dataSource.manager, this.auth.apiKeyPepper, agency, input, actor, { maxTtlDays: this.auth.apiKeyMaxTtlDays });
  }

  listKeys(agency: string): Promise<KeyView[]> {
    return listKeys(this.dataSource.manager, agency);
  }

  /** `ofAgency`: only a key of this agency; any other is KEY_NOT_FOUND. */
  revokeKey(keyId: string, actor: string, ofAgency?: string): Promise<RevokedKeyView> {
    return this.keys.revoke(keyId, actor, ofAgency);
  }
}
