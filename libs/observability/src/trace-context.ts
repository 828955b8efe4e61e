import { randomUUID } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  /** The traceparent to pass downstream (W3C Trace Context), this service's span as parent. */
  readonly traceparent: string;
}

/** Continues the caller's W3C trace if it sent a valid `traceparent`, otherwise starts one. */
export function traceContextFrom(traceparent: string | undefined): TraceContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  // randomUUID draws from Node's buffered entropy pool; randomBytes would make a syscall per id.
  const fresh = randomUUID().replace(/-/g, '');
  const traceId = match && match[1] !== '0'.repeat(32) ? match[1]! : fresh;
  const flags = match?.[3] ?? '01';
  const spanId = (match ? fresh : randomUUID().replace(/-/g, '')).slice(0, 16);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${flags}` };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's `x-request-id` if it is sane, otherwise makes one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}
