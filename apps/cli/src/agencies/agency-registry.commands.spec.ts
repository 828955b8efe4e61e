import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgencyAdminException, AgencyAdminExceptionCode, type AgencyView, type CertificateView, type GrantView, type KeyView, type NewKey } from '@rabt/auth';
import { CliException, CliExceptionCode, ExitCode } from '../cli/cli.exception';
import { reportFailure } from '../cli/run-command';
import { capturedOutput } from '../testing/cli-test.helpers';
import type { AgencyRegistry } from './agency-registry';
import { addAgencyRegistryCommands } from './agency-registry.commands';
import { TOKEN_WARNING } from './keys.command';

const T = new Date('2026-03-01T09:30:00Z');
const REPORTED = 'mom.employee.left-work-reported';
const AGENCY: AgencyView = { code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل', status: 'active', ratePerSecond: null, rateBurst: null, createdAt: T, updatedAt: T };
const KEY: KeyView = { id: '3f2b8c1e-0a4d-4e7f-9b21-5c6d7e8f9a0b', agency: 'mom', label: 'ci', roles: [], createdAt: T, revokedAt: null, expiresAt: null };
const TOKEN = `rabt_${'3f2b8c1e0a4d4e7f9b215c6d7e8f9a0b'}_${'S'.repeat(43)}`;
const CERT: CertificateView = {
  id: 'a'.repeat(32),
  agency: 'mom',
  serial: '01',
  fingerprint: 'f'.repeat(64),
  subject: `UID=${'a'.repeat(32)},CN=mom,OU=agency,O=Rabt`,
  principal: `User:agency.mom.${'a'.repeat(32)}`,
  notBefore: T,
  notAfter: new Date('2099-01-01T00:00:00Z'),
  issuedBy: 'cli:test',
  createdAt: T,
  revokedAt: null,
  revokeReason: null,
};
const GRANT: GrantView = { agency: 'rop', eventType: REPORTED, permission: 'subscribe', grantedBy: 'ita', createdAt: T };

function fakeRegistry() {
  return {
    developmentPepper: false as boolean,
    createAgency: vi.fn(async (input: { code: string; nameEn: string; nameAr: string }) => ({ ...AGENCY, ...input })),
    listAgencies: vi.fn(async () => [AGENCY, { ...AGENCY, code: 'rop', ratePerSecond: 50, rateBurst: 100 }]),
    updateAgency: vi.fn(async (code: string, changes: object) => ({ ...AGENCY, code, ...changes })),
    seedDemoAgencies: vi.fn(async () => ({ added: ['moh', 'mm'], existing: ['mom'] })),
    issueKey: vi.fn(async (agency: string, input: NewKey) => ({ keyId: KEY.id, token: TOKEN, agency, label: input.label, roles: input.roles ?? [], createdAt: T, expiresAt: null as Date | null })),
    listKeys: vi.fn(async () => [KEY, { ...KEY, id: 'b'.repeat(8), revokedAt: T }]),
    revokeKey: vi.fn(async () => ({ ...KEY, revokedAt: T, alreadyRevoked: false })),
    addGrant: vi.fn(async (grant: object, grantedBy: string) => ({ grant: { ...GRANT, ...grant, grantedBy }, created: true })),
    removeGrant: vi.fn(async (grant: object) => ({ ...GRANT, ...grant })),
    listGrants: vi.fn(async () => [GRANT]),
    pepperStatus: vi.fn(async () => [
      { version: 1, liveKeys: 0, configured: true, primary: false },
      { version: 2, liveKeys: 3, configured: true, primary: true },
    ]),
    issueCertificate: vi.fn(async (agency: string) => ({ ...CERT, agency, certificatePem: '-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----\n', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n', caCertificatePem: '-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n' })),
    listCertificates: vi.fn(async () => [CERT, { ...CERT, id: 'b'.repeat(32), revokedAt: T, revokeReason: 'key lost' }]),
    revokeCertificate: vi.fn(async (id: string, reason: string) => ({ ...CERT, id, revokedAt: T, revokeReason: reason, alreadyRevoked: false })),
  } satisfies AgencyRegistry;
}

/** Runs `rabt <args>` the way main.ts does, against a fake registry; reports what happened. */
async function rabt(args: string[], registry = fakeRegistry(), open?: () => Promise<never>) {
  const output = capturedOutput();
  const sessions = { opened: 0, closed: 0 };
  const program = new Command('rabt').exitOverride().configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });
  addAgencyRegistryCommands(program, {
    output,
    open:
      open ??
      (async () => {
        sessions.opened++;
        return { registry, close: async () => void sessions.closed++ };
      }),
  });
  await program.parseAsync(args, { from: 'user' }).catch((e: unknown) => {
    process.exitCode = reportFailure(e, output);
  });
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, output, registry, sessions };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('rabt agencies', () => {
  it('add passes code and both names, and closes the database afterwards', async () => {
    const run = await rabt(['agencies', 'add', 'mol', '--name-en', 'Ministry of Labour', '--name-ar', 'وزارة العمل']);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.registry.createAgency).toHaveBeenCalledWith({ code: 'mol', nameEn: 'Ministry of Labour', nameAr: 'وزارة العمل' });
    expect(run.output.stdout[0]).toMatch(/^✓ agency mol added, active: Ministry of Labour \| وزارة العمل\. Give it a key with: rabt keys issue mol$/);
    expect(run.sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('add without --name-ar is bad usage (exit 2) and never opens the database', async () => {
    const run = await rabt(['agencies', 'add', 'mol', '--name-en', 'Ministry of Labour']);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.output.stderr.join('\n')).toContain("required option '--name-ar <name>' not specified");
    expect(run.sessions.opened).toBe(0);
  });

  it('suspend and activate set the status', async () => {
    const suspend = await rabt(['agencies', 'suspend', 'rop']);
    expect(suspend.registry.updateAgency).toHaveBeenCalledWith('rop', { status: 'suspended' });
    expect(suspend.output.stdout[0]).toBe('✓ agency rop suspended: services stop accepting its keys within 5 s');
    const activate = await rabt(['agencies', 'activate', 'rop', '--json']);
    expect(activate.registry.updateAgency).toHaveBeenCalledWith('rop', { status: 'active' });
    expect(JSON.parse(activate.output.text())).toMatchObject({ code: 'rop', status: 'active' });
  });

  it('list prints a table, or JSON with --json', async () => {
    const text = await rabt(['agencies', 'list']);
    expect(text.output.stdout).toEqual([
      'CODE  STATUS  RATE LIMIT       NAME',
      'mol   active  default          Ministry of Labour | وزارة العمل',
      'rop   active  50/s, burst 100  Ministry of Labour | وزارة العمل',
    ]);
    const json = await rabt(['agencies', 'list', '--json']);
    expect(JSON.parse(json.output.text()).agencies.map((a: { code: string }) => a.code)).toEqual(['mol', 'rop']);
  });

  it('seed says what it added and what was there', async () => {
    const run = await rabt(['agencies', 'seed']);
    expect(run.output.stdout).toEqual(['✓ seeded 2 demo agencies: moh, mm (already there: mom)']);
  });
});

describe('rabt keys', () => {
  it('issue collects repeated --role flags without duplicates and prints the token once, with a warning', async () => {
    const run = await rabt(['keys', 'issue', 'mom', '--label', 'ci', '--role', 'admin', '--role', 'integrator', '--role', 'admin']);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.registry.issueKey).toHaveBeenCalledWith('mom', { label: 'ci', roles: ['admin', 'integrator'] });
    expect(run.output.stdout).toEqual([`✓ key ${KEY.id} issued for mom (label "ci", roles: admin, integrator):`, TOKEN]);
    expect(run.output.stderr).toEqual([`! ${TOKEN_WARNING}`]);
  });

  it('issue defaults to no roles and a dated label, and warns about the development pepper', async () => {
    const registry = { ...fakeRegistry(), developmentPepper: true };
    const run = await rabt(['keys', 'issue', 'mom', '--json'], registry);
    expect(registry.issueKey).toHaveBeenCalledWith('mom', { label: expect.stringMatching(/^issued with rabt keys issue on \d{4}-\d{2}-\d{2}$/), roles: [] });
    expect(JSON.parse(run.output.stdout.join('\n'))).toMatchObject({ keyId: KEY.id, token: TOKEN, warning: TOKEN_WARNING });
    expect(run.output.stderr[0]).toMatch(/The API-key pepper is the development default/);
  });

  it('issue passes --expires through and prints the expiry', async () => {
    const registry = fakeRegistry();
    const at = new Date('2027-03-01T00:00:00Z');
    registry.issueKey.mockResolvedValue({ keyId: KEY.id, token: TOKEN, agency: 'mom', label: 'ci', roles: [], createdAt: T, expiresAt: at });
    const run = await rabt(['keys', 'issue', 'mom', '--label', 'ci', '--expires', '90d'], registry);
    expect(registry.issueKey).toHaveBeenCalledWith('mom', { label: 'ci', roles: [], expires: '90d' });
    expect(run.output.stdout[0]).toBe(`✓ key ${KEY.id} issued for mom (label "ci", roles: none, expires 2027-03-01 00:00 UTC):`);
  });

  it('pepper-status lists live keys per pepper version and says which may go; exit 1 while live keys use an unconfigured one', async () => {
    const run = await rabt(['keys', 'pepper-status']);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.output.stdout).toEqual([
      'PEPPER VERSION  LIVE KEYS  PEPPER',
      '1               0          configured',
      '2               3          primary',
      'version 1 holds no live key: it may be removed from RABT_API_KEY_PEPPERS',
    ]);
    const registry = fakeRegistry();
    registry.pepperStatus.mockResolvedValue([
      { version: 1, liveKeys: 2, configured: false, primary: false },
      { version: 2, liveKeys: 3, configured: true, primary: true },
    ]);
    const lost = await rabt(['keys', 'pepper-status', '--json'], registry);
    expect(lost.code).toBe(ExitCode.FAILED);
    expect(JSON.parse(lost.output.stdout.join('\n')).versions).toHaveLength(2);
    expect(lost.output.stderr[0]).toContain('live keys use pepper versions that are not configured (1)');
  });

  it('issue refuses an unknown role (exit 2) before opening the database', async () => {
    const run = await rabt(['keys', 'issue', 'mom', '--role', 'root']);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.output.stderr.join('\n')).toContain("option '--role <role>' argument 'root' is invalid. a role is integrator or admin.");
    expect(run.sessions.opened).toBe(0);
  });

  it('list shows state and roles but no secret; revoke says whether anything changed', async () => {
    const list = await rabt(['keys', 'list', 'mom']);
    expect(list.output.stdout[0]).toMatch(/^KEY ID +STATE +ROLES +ISSUED +EXPIRES +LABEL$/);
    expect(list.output.stdout[1]).toMatch(/^3f2b8c1e-\S+ +active +- +2026-03-01 09:30 UTC +- +ci$/);
    expect(list.output.stdout[2]).toContain('revoked 2026-03-01 09:30 UTC');
    const revoke = await rabt(['keys', 'revoke', KEY.id]);
    expect(revoke.registry.revokeKey).toHaveBeenCalledWith(KEY.id);
    expect(revoke.output.stdout).toEqual([`✓ key ${KEY.id} of mom ("ci") revoked: services stop accepting it within 5 s`]);
    const registry = fakeRegistry();
    registry.revokeKey.mockResolvedValue({ ...KEY, revokedAt: T, alreadyRevoked: true });
    expect((await rabt(['keys', 'revoke', KEY.id], registry)).output.stdout[0]).toContain('was already revoked on 2026-03-01 09:30 UTC; nothing changed');
  });

  it('revoke needs a key id (exit 2)', async () => {
    const run = await rabt(['keys', 'revoke']);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.output.stderr.join('\n')).toContain("missing required argument 'keyId'");
  });
});

describe('rabt grants', () => {
  it('add records the operator as granter unless --granted-by names another agency', async () => {
    const byOperator = await rabt(['grants', 'add', 'rop', REPORTED, 'subscribe']);
    expect(byOperator.registry.addGrant).toHaveBeenCalledWith({ agency: 'rop', eventType: REPORTED, permission: 'subscribe' }, 'ita');
    expect(byOperator.output.stdout).toEqual([`✓ rop may now subscribe to ${REPORTED} (granted by ita)`]);
    const byOwner = await rabt(['grants', 'add', 'rop', REPORTED, 'publish', '--granted-by', 'mom']);
    expect(byOwner.registry.addGrant).toHaveBeenCalledWith({ agency: 'rop', eventType: REPORTED, permission: 'publish' }, 'mom');
  });

  it('add and remove accept only publish or subscribe (exit 2)', async () => {
    for (const verb of ['add', 'remove']) {
      const run = await rabt(['grants', verb, 'rop', REPORTED, 'read']);
      expect(run.code).toBe(ExitCode.USAGE);
      expect(run.output.stderr.join('\n')).toContain("value 'read' is invalid for argument 'permission'. Allowed choices are publish, subscribe.");
      expect(run.sessions.opened).toBe(0);
    }
  });

  it('remove and list pass their arguments and filters', async () => {
    const remove = await rabt(['grants', 'remove', 'rop', REPORTED, 'subscribe', '--json']);
    expect(remove.registry.removeGrant).toHaveBeenCalledWith({ agency: 'rop', eventType: REPORTED, permission: 'subscribe' });
    expect(JSON.parse(remove.output.text()).removed).toMatchObject({ agency: 'rop', permission: 'subscribe' });
    const list = await rabt(['grants', 'list', '--agency', 'rop', '--type', REPORTED]);
    expect(list.registry.listGrants).toHaveBeenCalledWith({ agency: 'rop', eventType: REPORTED });
    expect(list.output.stdout[1]).toMatch(new RegExp(`^rop +subscribe +${REPORTED.replaceAll('.', '\\.')} +ita +2026-03-01 09:30 UTC$`));
    expect((await rabt(['grants', 'list'])).registry.listGrants).toHaveBeenCalledWith({});
  });
});

describe('failures and exit codes', () => {
  const failing = (e: unknown) => {
    const registry = fakeRegistry();
    registry.listKeys.mockRejectedValue(e);
    return rabt(['keys', 'list', 'mom'], registry);
  };

  it.each([
    [AgencyAdminExceptionCode.AGENCY_NOT_FOUND, ExitCode.FAILED],
    [AgencyAdminExceptionCode.AGENCY_EXISTS, ExitCode.FAILED],
    [AgencyAdminExceptionCode.KEY_NOT_FOUND, ExitCode.FAILED],
    [AgencyAdminExceptionCode.GRANT_NOT_FOUND, ExitCode.FAILED],
    [AgencyAdminExceptionCode.INVALID_AGENCY, ExitCode.USAGE],
    [AgencyAdminExceptionCode.INVALID_KEY, ExitCode.USAGE],
    [AgencyAdminExceptionCode.INVALID_GRANT, ExitCode.USAGE],
    [AgencyAdminExceptionCode.UNKNOWN_EVENT_TYPE, ExitCode.USAGE],
  ])('a registry refusal %s exits %i with its message alone, and the database is closed', async (code, exit) => {
    const run = await failing(new AgencyAdminException(code, 'the reason'));
    expect(run.code).toBe(exit);
    expect(run.output.stderr).toEqual(['rabt: the reason']);
    expect(run.sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('a database without the agency tables says to migrate (exit 2)', async () => {
    const run = await failing(Object.assign(new Error('relation "agency" does not exist'), { driverError: { code: '42P01' } }));
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.output.stderr[0]).toBe('rabt: the database has no agency tables yet: run `npm run db:migrate` first');
  });

  it('an unreachable database exits 3; a bug exits 70 with its stack', async () => {
    const down = await rabt(['agencies', 'list'], fakeRegistry(), async () => {
      throw new CliException(CliExceptionCode.DATABASE_UNREACHABLE, 'database postgres://x/y is unreachable');
    });
    expect(down.code).toBe(3);
    expect(down.output.stderr).toEqual(['rabt: database postgres://x/y is unreachable']);
    const bug = await failing(new TypeError('oops'));
    expect(bug.code).toBe(ExitCode.INTERNAL);
    expect(bug.output.stderr[0]).toMatch(/^rabt: unexpected error \(a bug in rabt, please report it\): TypeError: oops\n\s+at /);
  });
});

describe('rabt agencies cert', () => {
  it('issue prints the certificate and key once, with a warning; --days is passed on', async () => {
    const run = await rabt(['agencies', 'cert', 'issue', 'mom', '--days', '30']);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.registry.issueCertificate).toHaveBeenCalledWith('mom', { days: 30 });
    expect(run.output.stdout.join('\n')).toContain('BEGIN PRIVATE KEY');
    expect(run.output.stderr.join('\n')).toContain('shown only now');
  });

  it('issue --out-dir writes the files, the key with mode 0600, and prints no key', async () => {
    const { mkdtempSync, statSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'rabt-cert-'));
    try {
      const run = await rabt(['agencies', 'cert', 'issue', 'mom', '--out-dir', dir, '--json']);
      expect(run.code).toBe(ExitCode.OK);
      const printed = JSON.parse(run.output.stdout.join('\n'));
      expect(printed).not.toHaveProperty('privateKeyPem');
      expect(statSync(printed.files.privateKey).mode & 0o777).toBe(0o600);
      expect(readFileSync(printed.files.privateKey, 'utf8')).toContain('BEGIN PRIVATE KEY');
      expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--days that is not a number is bad usage and never opens the database', async () => {
    const run = await rabt(['agencies', 'cert', 'issue', 'mom', '--days', 'ten']);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.sessions.opened).toBe(0);
  });

  it('revoke requires --reason', async () => {
    const missing = await rabt(['agencies', 'cert', 'revoke', 'a'.repeat(32)]);
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.sessions.opened).toBe(0);
    const run = await rabt(['agencies', 'cert', 'revoke', 'a'.repeat(32), '--reason', 'key lost']);
    expect(run.registry.revokeCertificate).toHaveBeenCalledWith('a'.repeat(32), 'key lost');
    expect(run.output.stdout[0]).toMatch(/revoked \("key lost"\)/);
  });

  it('list shows state and never a key', async () => {
    const run = await rabt(['agencies', 'cert', 'list', 'mom']);
    expect(run.registry.listCertificates).toHaveBeenCalledWith('mom');
    expect(run.output.stdout[1]).toMatch(/^a{32} +mom +active/);
    expect(run.output.stdout[2]).toMatch(/revoked .* key lost$/);
  });

  it('agencies add --certificate issues the first certificate at once; --out-dir alone is bad usage', async () => {
    const run = await rabt(['agencies', 'add', 'mol', '--name-en', 'Ministry of Labour', '--name-ar', 'وزارة العمل', '--certificate']);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.registry.issueCertificate).toHaveBeenCalledWith('mol', {});
    const bad = await rabt(['agencies', 'add', 'mol', '--name-en', 'Ministry of Labour', '--name-ar', 'وزارة العمل', '--out-dir', '/tmp/x']);
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.output.stderr.join('\n')).toContain('--out-dir goes with --certificate');
    expect(bad.sessions.opened).toBe(0);
  });
});
