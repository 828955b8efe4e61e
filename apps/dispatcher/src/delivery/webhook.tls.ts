import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ConfigValidationError } from '@rabt/config';
import type { DispatcherConfig } from '../config/dispatcher.config';
import { DISPATCHER_SERVICE } from '../config/dispatcher.config';

/** TLS options of the dispatcher's HTTPS agent: its client certificate and trusted CAs. */
export interface WebhookTlsOptions {
  readonly cert?: string;
  readonly key?: string;
  /** The system's roots plus DISPATCHER_TLS_CA, when set (otherwise Node's default roots). */
  readonly ca?: readonly string[];
}

/**
 * Reads DISPATCHER_TLS_CLIENT_CERT / _KEY (both or neither) and DISPATCHER_TLS_CA. Throws
 * ConfigValidationError naming the variable for one without the other, or an unreadable or
 * non-PEM file.
 */
export function webhookTlsOptions(tls: DispatcherConfig['tls']): WebhookTlsOptions {
  const problems: string[] = [];
  if (tls.clientCertFile && !tls.clientKeyFile) problems.push('DISPATCHER_TLS_CLIENT_KEY: is not set but DISPATCHER_TLS_CLIENT_CERT is; mutual TLS needs both');
  if (tls.clientKeyFile && !tls.clientCertFile) problems.push('DISPATCHER_TLS_CLIENT_CERT: is not set but DISPATCHER_TLS_CLIENT_KEY is; mutual TLS needs both');
  const read = (variable: string, file: string | undefined, marker: RegExp, what: string): string | undefined => {
    if (!file) return undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push(`${variable}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
    if (!marker.test(text)) problems.push(`${variable}: ${file} is not a PEM ${what}`);
    return text;
  };
  const cert = read('DISPATCHER_TLS_CLIENT_CERT', tls.clientCertFile, /-----BEGIN CERTIFICATE-----/, 'certificate');
  const key = read('DISPATCHER_TLS_CLIENT_KEY', tls.clientKeyFile, /-----BEGIN (EC |RSA )?PRIVATE KEY-----/, 'private key');
  const ca = read('DISPATCHER_TLS_CA', tls.caFile, /-----BEGIN CERTIFICATE-----/, 'certificate');
  if (problems.length) throw new ConfigValidationError(DISPATCHER_SERVICE, problems);
  return { ...(cert && key ? { cert, key } : {}), ...(ca ? { ca: [...rootCertificates, ca] } : {}) };
}
