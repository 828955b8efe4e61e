import { SSRF_REFUSAL_PREFIX } from './dead-letter.error-code';

/**
 * What a publisher is told about a failed delivery attempt: a class from this closed list, never
 * the text the dispatcher recorded, which holds the subscriber's answer (its body may carry
 * internal addresses, stack traces or personal data) and the addresses its host resolved to.
 */
export const DELIVERY_ERROR_CLASSES = [
  'http_3xx',
  'http_4xx',
  'http_5xx',
  'http_other',
  'timeout',
  'connection_refused',
  'connection_reset',
  'unreachable',
  'dns_failure',
  'tls_error',
  'ssrf_refused',
  'subscriber_suspended',
  'max_age',
  'other',
] as const;
export type DeliveryErrorClass = (typeof DELIVERY_ERROR_CLASSES)[number];

/** The dispatcher's text for a delivery ended because its subscriber agency is suspended. */
export const SUSPENDED_SUBSCRIBER_PREFIX = 'subscriber agency suspended';

/** The cause after "…; last error: " in the dispatcher's texts for a delivery that gave up. */
const LAST_ERROR = /last error: (.*)$/s;
const rules: readonly [RegExp, DeliveryErrorClass][] = [
  [/timed out|timeout|ETIMEDOUT/i, 'timeout'],
  [/ECONNREFUSED/, 'connection_refused'],
  [/ECONNRESET|EPIPE|socket hang up/i, 'connection_reset'],
  [/EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN/, 'unreachable'],
  [/ENOTFOUND|EAI_AGAIN|EAI_FAIL|does not resolve|DNS/i, 'dns_failure'],
  [/CERT|SSL|TLS|self[- ]signed|certificate/i, 'tls_error'],
];

/**
 * The class of a failure, from its HTTP status (null when no answer came) and the dispatcher's
 * error text; null when there was no failure. The status decides whenever there is one.
 */
export function deliveryErrorClass(status: number | null, error: string | null): DeliveryErrorClass | null {
  if (error === null && (status === null || (status >= 200 && status < 300))) return null;
  const text = error ?? '';
  if (text.startsWith(SSRF_REFUSAL_PREFIX)) return 'ssrf_refused';
  if (text.startsWith(SUSPENDED_SUBSCRIBER_PREFIX)) return 'subscriber_suspended';
  if (status !== null) {
    if (status >= 300 && status < 400) return 'http_3xx';
    if (status >= 400 && status < 500) return 'http_4xx';
    if (status >= 500 && status < 600) return 'http_5xx';
    return 'http_other';
  }
  const cause = LAST_ERROR.exec(text)?.[1] ?? text;
  if (/^none \(never attempted\)$/.test(cause) && /maximum age/i.test(text)) return 'max_age';
  if (cause !== text) {
    const inner = cause.match(/^HTTP (\d{3})/);
    if (inner) return deliveryErrorClass(Number(inner[1]), cause);
  }
  for (const [pattern, name] of rules) if (pattern.test(cause)) return name;
  return /maximum age/i.test(text) ? 'max_age' : 'other';
}
