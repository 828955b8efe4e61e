import { Logger } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgencyApiKeyEntity, AgencyEntity } from '@rabt/persistence';
import { AgencyKeysService } from './agency-keys.service';
import { newApiKey, parseApiKey } from './api-key';
import type { AuthConfig } from './auth.config';

const P1 = 'p'.repeat(32);
const P2 = 'q'.repeat(32);

/** A key row as the repository would load it, for a pure unit test of the checks. */
function keyRow(pepper: string, pepperVersion: number, extra: Partial<AgencyApiKeyEntity> = {}) {
  const issued = newApiKey(pepper);
  const row = {
    id: parseApiKey(issued.token)!.keyId,
    agencyCode: 'mom',
    agency: { status: 'active' } as AgencyEntity,
    label: 'test',
    secretHash: issued.secretHash,
    pepperVersion,
    roles: [],
    createdAt: new Date(),
    revokedAt: null,
    expiresAt: null,
    ...extra,
  } as AgencyApiKeyEntity;
  return { token: issued.token, row };
}

function service(rows: AgencyApiKeyEntity[], peppers: [number, string][]) {
  const repository = { findOne: vi.fn(async ({ where }: { where: { id: string } }) => rows.find((r) => r.id === where.id) ?? null) } as unknown as Repository<AgencyApiKeyEntity>;
  const primary = Math.max(...peppers.map(([v]) => v));
  const config: AuthConfig = { apiKeyPepper: { version: primary, pepper: new Map(peppers).get(primary)! }, apiKeyPeppers: new Map(peppers), developmentPepper: false, apiKeyMaxTtlDays: 397 };
  return new AgencyKeysService(repository, {} as Repository<AgencyEntity>, config);
}

afterEach(() => vi.restoreAllMocks());

describe('AgencyKeysService.authenticate', () => {
  it("checks a key under its own pepper version while that version is configured", async () => {
    const v1 = keyRow(P1, 1);
    const v2 = keyRow(P2, 2);
    const keys = service([v1.row, v2.row], [
      [1, P1],
      [2, P2],
    ]);
    expect((await keys.authenticate(v1.token))?.keyId).toBe(v1.row.id);
    expect((await keys.authenticate(v2.token))?.keyId).toBe(v2.row.id);
    // the same secret hashed under another pepper than its row says does not match
    const mislabelled = keyRow(P1, 2);
    expect(await service([mislabelled.row], [[1, P1], [2, P2]]).authenticate(mislabelled.token)).toBeUndefined();
  });

  it('refuses a key whose pepper version is no longer configured, and logs that version once, never the key', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const a = keyRow(P1, 1);
    const b = keyRow(P1, 1);
    const keys = service([a.row, b.row], [[2, P2]]);
    expect(await keys.authenticate(a.token)).toBeUndefined();
    expect(await keys.authenticate(a.token)).toBeUndefined();
    expect(await keys.authenticate(b.token)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('pepper version 1');
    expect(String(warn.mock.calls[0]![0])).not.toContain(a.row.id);
    expect(String(warn.mock.calls[0]![0])).not.toContain(P1);
  });

  it('refuses an expired key, and never serves a cached check past the expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const now = Date.now();
      const expired = keyRow(P1, 1, { expiresAt: new Date(now - 1) });
      const soon = keyRow(P1, 1, { expiresAt: new Date(now + 1_000) });
      const keys = service([expired.row, soon.row], [[1, P1]]);
      expect(await keys.authenticate(expired.token)).toBeUndefined();
      expect((await keys.authenticate(soon.token))?.keyId).toBe(soon.row.id);
      vi.setSystemTime(now + 1_000);
      expect(await keys.authenticate(soon.token)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
