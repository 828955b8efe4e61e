import type { OpsErrorCode } from '@rabt/ops-contracts';
import { DomainException, type ProblemMapping } from '@rabt/runtime';

export enum OpsExceptionCode {
  INVALID_REQUEST = 'INVALID_REQUEST',
  INVALID_FILTER = 'INVALID_FILTER',
  INVALID_CURSOR = 'INVALID_CURSOR',
  REASON_REQUIRED = 'REASON_REQUIRED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN_ROLE = 'FORBIDDEN_ROLE',
  FORBIDDEN_AGENCY = 'FORBIDDEN_AGENCY',
  RATE_LIMITED = 'RATE_LIMITED',
  OPERATOR_NOT_FOUND = 'OPERATOR_NOT_FOUND',
  OPERATOR_EXISTS = 'OPERATOR_EXISTS',
  UNKNOWN_AGENCY = 'UNKNOWN_AGENCY',
  DEAD_LETTER_NOT_FOUND = 'DEAD_LETTER_NOT_FOUND',
  DEAD_LETTER_NOT_OPEN = 'DEAD_LETTER_NOT_OPEN',
  REPLAY_JOB_NOT_FOUND = 'REPLAY_JOB_NOT_FOUND',
  EVENT_NOT_FOUND = 'EVENT_NOT_FOUND',
  TRANSACTION_NOT_FOUND = 'TRANSACTION_NOT_FOUND',
  SUBJECT_NOT_FOUND = 'SUBJECT_NOT_FOUND',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
}

// The enum is the ops API's list of codes (@rabt/ops-contracts), no more and no less: a code added
// to one and not the other does not compile.
type SameCodes = [`${OpsExceptionCode}`] extends [OpsErrorCode] ? ([OpsErrorCode] extends [`${OpsExceptionCode}`] ? true : false) : false;
const _opsCodesAreTheWireCodes: SameCodes = true;

export class OpsException extends DomainException<OpsExceptionCode> {}

/** code -> HTTP meaning. Every ops error is answered as problem+json with this `code`. */
export const OPS_PROBLEMS: ProblemMapping<OpsExceptionCode> = {
  [OpsExceptionCode.INVALID_REQUEST]: { status: 400, title: 'The request is not valid' },
  [OpsExceptionCode.INVALID_FILTER]: { status: 400, title: 'A filter value is not valid' },
  [OpsExceptionCode.INVALID_CURSOR]: { status: 400, title: 'The cursor is not one this service gave out' },
  [OpsExceptionCode.REASON_REQUIRED]: { status: 400, title: 'Every operator action needs a reason' },
  [OpsExceptionCode.INVALID_CREDENTIALS]: { status: 401, title: 'Wrong username or password' },
  [OpsExceptionCode.UNAUTHENTICATED]: { status: 401, title: 'Sign in first (the session is missing or expired)' },
  [OpsExceptionCode.FORBIDDEN_ROLE]: { status: 403, title: "The account's role does not allow this" },
  [OpsExceptionCode.FORBIDDEN_AGENCY]: { status: 403, title: "An agency account acts only on its own agency's objects" },
  [OpsExceptionCode.RATE_LIMITED]: { status: 429, title: 'Too many sign-in attempts; wait as Retry-After says' },
  [OpsExceptionCode.OPERATOR_NOT_FOUND]: { status: 404, title: 'No such operator' },
  [OpsExceptionCode.OPERATOR_EXISTS]: { status: 409, title: 'An operator with this username exists' },
  [OpsExceptionCode.UNKNOWN_AGENCY]: { status: 400, title: 'No such agency' },
  [OpsExceptionCode.DEAD_LETTER_NOT_FOUND]: { status: 404, title: 'No such dead letter' },
  [OpsExceptionCode.DEAD_LETTER_NOT_OPEN]: { status: 409, title: 'The dead letter is not open (already replayed or discarded)' },
  [OpsExceptionCode.REPLAY_JOB_NOT_FOUND]: { status: 404, title: 'No such replay job' },
  [OpsExceptionCode.EVENT_NOT_FOUND]: { status: 404, title: 'No such event' },
  [OpsExceptionCode.TRANSACTION_NOT_FOUND]: { status: 404, title: 'No such transaction' },
  [OpsExceptionCode.SUBJECT_NOT_FOUND]: { status: 404, title: 'No such schema subject' },
  [OpsExceptionCode.UNSUPPORTED_MEDIA_TYPE]: { status: 415, title: 'Send application/json' },
};

export const opsError = (code: OpsExceptionCode, message: string, details?: Record<string, unknown>) => new OpsException(code, message, details);
