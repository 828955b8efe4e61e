import type { X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AgencyCertificateEntity } from '@rabt/persistence';
import { agencyOfCertificate } from '@rabt/pki';
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

  constructor(@InjectRepository(AgencyCertificateEntity) private readonly certificates: Repository<AgencyCertificateEntity>) {}

  /** The principal behind a presented certificate, or undefined for any other certificate. */
  async authenticate(presented: X509Certificate, ca: X509Certificate): Promise<Principal | undefined> {
    const identity = agencyOfCertificate(presented, ca);
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
