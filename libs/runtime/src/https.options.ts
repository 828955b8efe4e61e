import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { ConfigValidationError, type HttpTlsFiles } from '@rabt/config';

/**
 * Fastify's `https` options from HTTP_TLS_CERT / HTTP_TLS_KEY / HTTP_TLS_CLIENT_CA, or undefined
 * to serve plain HTTP. With a client CA, the server asks every client for a certificate and
 * verifies it against that CA but lets the connection through without one (requestCert, not
 * rejectUnauthorized): whether a route needs it is the service's decision, read from
 * `socket.authorized`. Throws ConfigValidationError naming the variable for one of cert/key
 * without the other, a client CA without them, or a file that cannot be read.
 */
export function httpsOptions(service: string, tls: HttpTlsFiles): (TlsOptions & SecureContextOptions) | undefined {
  const problems: string[] = [];
  if (!tls.certFile && !tls.keyFile) {
    if (tls.clientCaFile) problems.push('HTTP_TLS_CLIENT_CA: is set but HTTP_TLS_CERT and HTTP_TLS_KEY are not; client certificates need HTTPS');
    if (problems.length) throw new ConfigValidationError(service, problems);
    return undefined;
  }
  if (!tls.certFile) problems.push('HTTP_TLS_CERT: is not set but HTTP_TLS_KEY is; HTTPS needs both');
  if (!tls.keyFile) problems.push('HTTP_TLS_KEY: is not set but HTTP_TLS_CERT is; HTTPS needs both');
  const read = (variable: string, file: string | undefined): string | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      problems.push(`${variable}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
  };
  const cert = read('HTTP_TLS_CERT', tls.certFile);
  const key = read('HTTP_TLS_KEY', tls.keyFile);
  const ca = read('HTTP_TLS_CLIENT_CA', tls.clientCaFile);
  if (cert !== undefined && !cert.includes('-----BEGIN CERTIFICATE-----')) problems.push(`HTTP_TLS_CERT: ${tls.certFile} is not a PEM certificate`);
  if (key !== undefined && !/-----BEGIN (EC |RSA )?PRIVATE KEY-----/.test(key)) problems.push(`HTTP_TLS_KEY: ${tls.keyFile} is not a PEM private key`);
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) problems.push(`HTTP_TLS_CLIENT_CA: ${tls.clientCaFile} is not a PEM certificate`);
  if (problems.length) throw new ConfigValidationError(service, problems);
  return { cert, key, minVersion: 'TLSv1.2', ...(ca ? { ca, requestCert: true, rejectUnauthorized: false } : {}) };
}
