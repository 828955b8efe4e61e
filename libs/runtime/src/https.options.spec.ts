import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigValidationError } from '@rabt/config';
import { httpsOptions } from './https.options';

const dir = mkdtempSync(join(tmpdir(), 'rabt-https-'));
const cert = join(dir, 'a.crt');
const key = join(dir, 'a.key');
writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigValidationError);
    return [...(e as ConfigValidationError).problems];
  }
  throw new Error('no ConfigValidationError');
};

describe('httpsOptions', () => {
  it('plain HTTP without TLS files', () => {
    expect(httpsOptions('svc', {})).toBeUndefined();
  });

  it('HTTPS with cert and key; client certificates requested, not required, with a client CA', () => {
    expect(httpsOptions('svc', { certFile: cert, keyFile: key })).toMatchObject({ cert: expect.stringContaining('CERTIFICATE'), key: expect.stringContaining('PRIVATE KEY') });
    expect(httpsOptions('svc', { certFile: cert, keyFile: key })).not.toHaveProperty('requestCert');
    expect(httpsOptions('svc', { certFile: cert, keyFile: key, clientCaFile: cert })).toMatchObject({ requestCert: true, rejectUnauthorized: false, ca: expect.any(String) });
  });

  it('names the variable of each configuration error', () => {
    expect(problemsOf(() => httpsOptions('svc', { certFile: cert }))).toEqual([expect.stringMatching(/^HTTP_TLS_KEY: is not set/)]);
    expect(problemsOf(() => httpsOptions('svc', { keyFile: key }))).toEqual([expect.stringMatching(/^HTTP_TLS_CERT: is not set/)]);
    expect(problemsOf(() => httpsOptions('svc', { clientCaFile: cert }))).toEqual([expect.stringMatching(/^HTTP_TLS_CLIENT_CA: is set but/)]);
    expect(problemsOf(() => httpsOptions('svc', { certFile: join(dir, 'missing.crt'), keyFile: key }))).toEqual([expect.stringMatching(/^HTTP_TLS_CERT: cannot read .*missing\.crt \(ENOENT\)/)]);
    expect(problemsOf(() => httpsOptions('svc', { certFile: key, keyFile: cert }))).toEqual([
      expect.stringMatching(/^HTTP_TLS_CERT: .* is not a PEM certificate/),
      expect.stringMatching(/^HTTP_TLS_KEY: .* is not a PEM private key/),
    ]);
  });
});
