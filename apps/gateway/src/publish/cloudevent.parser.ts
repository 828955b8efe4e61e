import { CloudEvent, ValidationError } from 'cloudevents';
import { GatewayExceptionCode, gatewayError } from './gateway.exception';

/** A CloudEvent as an agency sent it, attributes validated against the CloudEvents 1.0 spec. */
export interface IncomingEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time?: string;
  readonly dataschema?: string;
  readonly transactionid?: string;
  readonly traceparent?: string;
  readonly data: unknown;
}

const KNOWN = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'transactionid', 'traceparent', 'partitionkey', 'data']);
const TRANSACTION_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const EVENT_ID = /^[\x21-\x7e]{1,200}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Structured mode: the body is the whole event (application/cloudevents+json). */
export function fromStructured(body: unknown): IncomingEvent {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw gatewayError(GatewayExceptionCode.INVALID_CLOUDEVENT, 'A structured CloudEvent must be a JSON object');
  }
  const raw = body as Record<string, unknown>;
  if ('data_base64' in raw) throw gatewayError(GatewayExceptionCode.INVALID_CLOUDEVENT, 'data_base64 is not accepted: send data as JSON');
  return validate(raw);
}

/** Binary mode: attributes in ce-* headers, the body is the data (application/json). */
export function fromBinary(headers: Readonly<Record<string, string | string[] | undefined>>, body: unknown): IncomingEvent {
  const raw: Record<string, unknown> = { data: body };
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue;
    raw[name.slice(3)] = Array.isArray(value) ? value.join(',') : decodeHeader(value);
  }
  if (!raw['specversion']) throw gatewayError(GatewayExceptionCode.INVALID_CLOUDEVENT, 'ce-specversion header missing: send a CloudEvent (binary or structured mode)');
  return validate(raw);
}

function decodeHeader(value: string): string {
  // The HTTP binding percent-encodes header values; decode what decodes, keep the rest.
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function validate(raw: Record<string, unknown>): IncomingEvent {
  const problems: string[] = [];
  if (raw['specversion'] !== '1.0') problems.push(`specversion must be "1.0" (got ${JSON.stringify(raw['specversion'] ?? null)})`);
  for (const name of ['id', 'source', 'type'] as const) {
    if (typeof raw[name] !== 'string' || raw[name] === '') problems.push(`${name} is required and must be a non-empty string`);
  }
  for (const name of ['subject', 'time', 'dataschema', 'transactionid', 'traceparent', 'datacontenttype'] as const) {
    if (raw[name] !== undefined && (typeof raw[name] !== 'string' || raw[name] === '')) problems.push(`${name}, when present, must be a non-empty string`);
  }
  if (typeof raw['time'] === 'string' && raw['time'] !== '' && !(RFC3339.test(raw['time']) && !Number.isNaN(Date.parse(raw['time'])))) {
    problems.push(`time must be an RFC 3339 timestamp such as 2026-11-30T08:00:00Z (got ${JSON.stringify(raw['time'])})`);
  }
  if (typeof raw['id'] === 'string' && raw['id'] !== '' && !EVENT_ID.test(raw['id'])) problems.push('id must be 1-200 printable ASCII characters');
  if (typeof raw['transactionid'] === 'string' && !TRANSACTION_ID.test(raw['transactionid'])) {
    problems.push('transactionid must be 1-64 characters of A-Z a-z 0-9 . _ : -');
  }
  if (typeof raw['datacontenttype'] === 'string' && !/^application\/(.+\+)?json(\s*;.*)?$/.test(raw['datacontenttype'])) {
    problems.push(`datacontenttype must be JSON (got ${raw['datacontenttype']})`);
  }
  if (!('data' in raw) || raw['data'] === undefined) problems.push('data is required');
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k));
  if (unknown.length) problems.push(`unsupported attributes: ${unknown.join(', ')}`);
  if (problems.length) throw gatewayError(GatewayExceptionCode.INVALID_CLOUDEVENT, problems.join('; '), { problems });

  // The SDK checks what remains of the spec (URI-reference source, RFC 3339 time, names).
  try {
    new CloudEvent({ ...raw, datacontenttype: 'application/json' }, true);
  } catch (e) {
    const message = e instanceof ValidationError ? `${e.message}: ${JSON.stringify(e.errors)}` : (e as Error).message;
    throw gatewayError(GatewayExceptionCode.INVALID_CLOUDEVENT, `invalid CloudEvent: ${message}`);
  }
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  return {
    id: raw['id'] as string,
    source: raw['source'] as string,
    type: raw['type'] as string,
    ...(str('subject') !== undefined ? { subject: str('subject')! } : {}),
    ...(str('time') !== undefined ? { time: str('time')! } : {}),
    ...(str('dataschema') !== undefined ? { dataschema: str('dataschema')! } : {}),
    ...(str('transactionid') !== undefined ? { transactionid: str('transactionid')! } : {}),
    ...(str('traceparent') !== undefined ? { traceparent: str('traceparent')! } : {}),
    data: raw['data'],
  };
}
