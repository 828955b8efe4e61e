import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_ERROR_CODES, DEAD_LETTER_STATES, EVENT_TIMELINE_KINDS, OPERATOR_ROLES, OPS_ERROR_CODES, REPLAY_JOB_STATES } from './ops-api.lists';

const doc = readFileSync(resolve(__dirname, '..', '..', '..', 'docs', 'ops-api.md'), 'utf8');
/** The first `n` quoted or back-ticked words after `marker` in docs/ops-api.md (within its paragraph). */
const words = (marker: string, n: number): string[] => {
  const at = doc.indexOf(marker);
  if (at < 0) throw new Error(`no ${marker} in docs/ops-api.md`);
  const end = doc.indexOf('\n\n', at);
  return [...doc.slice(at + marker.length, end < 0 ? undefined : end).matchAll(/["`]([A-Za-z0-9_-]+)["`]/g)].map((m) => m[1]!).slice(0, n);
};

describe('the ops API lists are the ones docs/ops-api.md documents', () => {
  it('dead-letter states', () => expect(words('\ntransactionId: string|null, errorCode', DEAD_LETTER_STATES.length)).toEqual([...DEAD_LETTER_STATES]));
  it('delivery error codes', () => expect(words('`errorCode` is one of', DEAD_LETTER_ERROR_CODES.length)).toEqual([...DEAD_LETTER_ERROR_CODES]));
  it('replay job states', () => expect(words('`ReplayJob = {id, state:', REPLAY_JOB_STATES.length)).toEqual([...REPLAY_JOB_STATES]));
  it('timeline kinds', () => expect(words('kind:', EVENT_TIMELINE_KINDS.length)).toEqual([...EVENT_TIMELINE_KINDS]));
  it('roles, in rank order', () => expect(words('- Roles:', OPERATOR_ROLES.length)).toEqual([...OPERATOR_ROLES]));
  it('every error code of the ops service is documented', () => {
    const section = doc.slice(doc.indexOf('## Error codes'));
    for (const code of OPS_ERROR_CODES.filter((c) => c !== 'UNKNOWN_AGENCY')) expect(section).toContain(`\`${code}\``);
  });
  it('has no duplicates', () => {
    for (const list of [DEAD_LETTER_STATES, DEAD_LETTER_ERROR_CODES, REPLAY_JOB_STATES, EVENT_TIMELINE_KINDS, OPERATOR_ROLES, OPS_ERROR_CODES]) expect(new Set(list).size).toBe(list.length);
  });
});
