import type { DeadLetterErrorCode } from '@rabt/ops-contracts';

// The lists are the ops API's (one definition for the wire, the check constraints and the classifier).
export { DEAD_LETTER_ERROR_CODES, DEAD_LETTER_STATES, type DeadLetterErrorCode, type DeadLetterState } from '@rabt/ops-contracts';

/** The dispatcher's texts for refused URLs and an exhausted maximum age (see apps/dispatcher). */
export const SSRF_REFUSAL_PREFIX = 'refused by the SSRF guard';
const MAX_AGE = /maximum age/i;
const TIMEOUT = /timed out|timeout/i;
const CONNECTION = /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|connect|DNS|resolve/i;

/**
 * Classifies a dead letter by its last status and error (the dispatcher's own texts): a refused
 * URL, an exhausted maximum age, the receiver's 4xx or 5xx, a timeout, a connection failure, or
 * anything else. The first rule that matches wins; the order matters ("maximum age … last
 * error: HTTP 500" is MAX_AGE).
 */
export function classifyDeadLetterError(lastStatus: number | null, lastError: string): DeadLetterErrorCode {
  if (lastError.startsWith(SSRF_REFUSAL_PREFIX)) return 'ADDRESS_REFUSED';
  if (MAX_AGE.test(lastError)) return 'MAX_AGE';
  if (lastStatus !== null && lastStatus >= 400 && lastStatus < 500) return 'HTTP_4XX';
  if (lastStatus !== null && lastStatus >= 500 && lastStatus < 600) return 'HTTP_5XX';
  if (lastStatus === null && TIMEOUT.test(lastError)) return 'TIMEOUT';
  if (lastStatus === null && CONNECTION.test(lastError)) return 'CONNECTION';
  return 'OTHER';
}
