import { randomUUID } from 'node:crypto';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://rabt.gov.om/problems/';

/** An RFC 9457 problem document with Rabt's stable machine-readable `code`. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly errorId?: string;
  readonly [extension: string]: unknown;
}

export function problem(code: string, status: number, title: string, detail?: string, extensions: Record<string, unknown> = {}): ProblemDocument {
  return {
    type: PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-'),
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
    ...extensions,
  };
}

/** Generic codes for failures that happen before any domain code runs. */
export const GENERIC_PROBLEMS: Readonly<Record<number, { code: string; title: string }>> = {
  400: { code: 'BAD_REQUEST', title: 'The request is malformed' },
  401: { code: 'UNAUTHENTICATED', title: 'Authentication is required' },
  403: { code: 'FORBIDDEN', title: 'Not allowed' },
  404: { code: 'NOT_FOUND', title: 'No such resource' },
  405: { code: 'METHOD_NOT_ALLOWED', title: 'Method not allowed' },
  406: { code: 'NOT_ACCEPTABLE', title: 'Not acceptable' },
  409: { code: 'CONFLICT', title: 'Conflict' },
  413: { code: 'PAYLOAD_TOO_LARGE', title: 'The request body is too large' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  422: { code: 'UNPROCESSABLE', title: 'The request cannot be processed' },
  429: { code: 'RATE_LIMITED', title: 'Too many requests' },
  500: { code: 'INTERNAL_ERROR', title: 'Internal error' },
  503: { code: 'UNAVAILABLE', title: 'Temporarily unavailable' },
};

export function genericProblem(status: number, detail?: string): ProblemDocument {
  const known = GENERIC_PROBLEMS[status] ?? (status >= 500 ? GENERIC_PROBLEMS[500]! : GENERIC_PROBLEMS[400]!);
  return problem(known.code, status, known.title, detail);
}

export function internalProblem(): ProblemDocument {
  const errorId = randomUUID();
  return { ...problem('INTERNAL_ERROR', 500, 'Internal error', `Something went wrong on our side; quote error id ${errorId} when reporting it.`), errorId };
}
