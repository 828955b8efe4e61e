// Parsing the dead-letter list's query and the bulk replay's filter (pure), and the cursor that
// pages the list (newest first). Bad values are refused with INVALID_FILTER / INVALID_CURSOR.
import { DEAD_LETTER_ERROR_CODES, DEAD_LETTER_STATES, type DeadLetterErrorCode, type DeadLetterState } from '@rabt/ops-contracts';
import { OpsExceptionCode, opsError } from '../ops.exception';

export interface DeadLetterFilter {
  readonly agency?: string;
  readonly type?: string;
  readonly errorCode?: DeadLetterErrorCode;
  readonly from?: Date;
  readonly to?: Date;
  readonly transactionId?: string;
}

export interface DeadLetterListQuery extends DeadLetterFilter {
  readonly state: DeadLetterState;
  readonly limit: number;
  readonly cursor?: DeadLetterCursor;
}

/** Where the previous page ended: created_at in microseconds since the epoch (exact), and id. */
export interface DeadLetterCursor {
  readonly createdAtUs: string;
  readonly id: string;
}

export const MAX_LIMIT = 200;
const DEFAULT_LIMIT = 50;
const AGENCY = /^[a-z][a-z0-9]{1,15}$/;
const TYPE = /^[a-z0-9][a-z0-9.-]{2,199}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Raw = Readonly<Record<string, unknown>>;

/** The filter fields (list query and bulk replay body); every bad field is reported together. */
export function parseDeadLetterFilter(raw: Raw): DeadLetterFilter {
  const errors: string[] = [];
  const text = (name: string): string | undefined => {
    const v = raw[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') {
      errors.push(`${name}: must be a string`);
      return undefined;
    }
    return v;
  };
  const agency = text('agency');
  if (agency !== undefined && !AGENCY.test(agency)) errors.push('agency: must be an agency code (e.g. mom)');
  const type = text('type');
  if (type !== undefined && !TYPE.test(type)) errors.push('type: must be an event type (e.g. mom.employee.left-work-reported)');
  const errorCode = text('errorCode');
  if (errorCode !== undefined && !(DEAD_LETTER_ERROR_CODES as readonly string[]).includes(errorCode)) errors.push(`errorCode: one of ${DEAD_LETTER_ERROR_CODES.join(', ')}`);
  const date = (name: string): Date | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (!ISO.test(v) || Number.isNaN(d.getTime())) {
      errors.push(`${name}: must be an ISO 8601 date-time`);
      return undefined;
    }
    return d;
  };
  const from = date('from');
  const to = date('to');
  if (from && to && from > to) errors.push('from: must not be after to');
  const transactionId = text('transactionId');
  if (transactionId !== undefined && transactionId.length > 64) errors.push('transactionId: at most 64 characters');
  if (errors.length) throw opsError(OpsExceptionCode.INVALID_FILTER, errors.join('; '), { errors });
  return {
    ...(agency ? { agency } : {}),
    ...(type ? { type } : {}),
    ...(errorCode ? { errorCode: errorCode as DeadLetterErrorCode } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(transactionId ? { transactionId } : {}),
  };
}

/** GET /v1/dead-letters' query: the filter, plus state (default open), limit (≤ 200) and cursor. */
export function parseDeadLetterListQuery(raw: Raw): DeadLetterListQuery {
  const filter = parseDeadLetterFilter(raw);
  const errors: string[] = [];
  const state = raw['state'] === undefined || raw['state'] === '' ? 'open' : raw['state'];
  if (typeof state !== 'string' || !(DEAD_LETTER_STATES as readonly string[]).includes(state)) errors.push(`state: one of ${DEAD_LETTER_STATES.join(', ')}`);
  let limit = DEFAULT_LIMIT;
  if (raw['limit'] !== undefined && raw['limit'] !== '') {
    limit = Number(raw['limit']);
    if (!/^\d{1,4}$/.test(String(raw['limit'])) || limit < 1 || limit > MAX_LIMIT) errors.push(`limit: a whole number from 1 to ${MAX_LIMIT}`);
  }
  if (errors.length) throw opsError(OpsExceptionCode.INVALID_FILTER, errors.join('; '), { errors });
  const cursor = raw['cursor'] === undefined || raw['cursor'] === '' ? undefined : decodeCursor(raw['cursor']);
  return { ...filter, state: state as DeadLetterState, limit, ...(cursor ? { cursor } : {}) };
}

export const encodeCursor = (c: DeadLetterCursor): string => Buffer.from(JSON.stringify([c.createdAtUs, c.id])).toString('base64url');

export function decodeCursor(raw: unknown): DeadLetterCursor {
  const bad = () => opsError(OpsExceptionCode.INVALID_CURSOR, 'cursor: pass the nextCursor of the previous page unchanged');
  if (typeof raw !== 'string' || raw.length > 200 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [createdAtUs, id] = parsed as unknown[];
  if (typeof createdAtUs !== 'string' || !/^\d{1,18}$/.test(createdAtUs) || typeof id !== 'string' || !UUID.test(id)) throw bad();
  return { createdAtUs, id };
}
