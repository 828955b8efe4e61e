import type { X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AgencyCertificateEntity } from '@rabt/persistence';
import { agencyOfCertificate, type AgencyCertificateIdentity } from '@rabt/pki';
import { activeCertificate } from './agency-certificates';
import type { Principal } from './agency-keys.service';

/**
 * How long a certificate's status (active or not) is believed without asking Postgres again: a
 * revocation, expiry or suspension made anywhere (ops, the rabt CLI, another instance) takes
 * effect on every instance within this bound.
 */
export const CERTIFICATE_STATUS_CACHE_MS = 1_000;

/**
 * Authenticates agencies by client certificate: the certificate must be an agency certificate
 * of Rabt's CA (agencyOfCertificate: issuer, signature, validity, clientAuth, subject O=Rabt,
 * OU=agency, CN=<code>, UID=<id>) and be listed active in `agency_certificate` with the same
 * agency and fingerprint. A certificate carries no role: its principal may publish and read as
 * its agency, never administer.
 */
@Injectable()
export class AgencyCertificatesService {
  private readonly cache = new Map<string, { active: boolean; until: number }>();
  /**
   * What agencyOfCertificate made of a certificate (a pure function of it and the CA), by the
   * certificate's own SHA-256, so that a busy connection costs one signature check, not one per
   * request. Expiry is still checked every time, against the record's not_after.
   */
  private readonly identities = new Map<string, AgencyCertificateIdentity | null>();

  constructor(@InjectRepository(AgencyCertificateEntity) private readonly certificates: Repository<AgencyCertificateEntity>) {}

  /** The principal behind a presented certificate, or undefined for any other certificate. */
  async authenticate(presented: X509Certificate, ca: X509Certificate): Promise<Principal | undefined> {
    const key = `${presented.fingerprint256}|${ca.fingerprint256}`;
    let identity = this.identities.get(key);
    if (identity === undefined) {
      identity = agencyOfCertificate(presented, ca) ?? null;
      if (this.identities.size > 10_000) this.identities.clear();
      this.identities.set(key, identity);
    }
    if (!identity) return undefined;
    const cached = this.cache.get(identity.fingerprint);
    let active: boolean;
    if (cached && cached.until > Date.now()) active = cached.active;
    else {
      active = await activeCertificate(this.certificates.manager, identity);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(identity.fingerprint, { active, until: Date.now() + CERTIFICATE_STATUS_CACHE_MS });
    }
    return active ? { agency: identity.agency, keyId: `certificate:${identity.certificateId}`, roles: [] } : undefined;
  }
}
