import { describe, expect, it } from 'vitest';
import { parseAvroSchema } from '@rabt/avro';
import { WORKSPACE_ROOT } from '../testing/cli-test.helpers';
import { compareWithBaseline, gitReader } from './git-baseline';

const schema = (fields: unknown[]) => JSON.stringify({ type: 'record', name: 'WorkPermitSuspended', namespace: 'om.gov.rabt.mom', fields });
const v1 = schema([{ name: 'workerCivilNumber', type: 'string' }]);
const parsed = (text: string) => parseAvroSchema(text).type;

describe('compatibility with the schema at the git base', () => {
  it('accepts a type that is new at the base', () => {
    expect(compareWithBaseline('BACKWARD', parsed(v1), undefined)).toEqual({ kind: 'new' });
  });

  it('accepts an added field with a default', () => {
    const v2 = schema([{ name: 'workerCivilNumber', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }]);
    expect(compareWithBaseline('FULL', parsed(v2), v1)).toEqual({ kind: 'compatible' });
  });

  it('rejects an added required field under BACKWARD, with Confluent reasons and without the old schema text', () => {
    const v2 = schema([{ name: 'workerCivilNumber', type: 'string' }, { name: 'permitNumber', type: 'string' }]);
    const verdict = compareWithBaseline('BACKWARD', parsed(v2), v1);
    expect(verdict.kind).toBe('incompatible');
    const reasons = verdict.kind === 'incompatible' ? verdict.reasons : [];
    expect(reasons[0]).toContain("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
    expect(reasons[0]).toContain("additionalInfo:'permitNumber'");
    expect(reasons).toContain("{compatibility: 'BACKWARD'}");
    expect(reasons.join()).not.toContain('oldSchema');
  });

  it('follows the level: removing a field without default passes BACKWARD but fails FORWARD, and NONE accepts anything', () => {
    const v0 = schema([{ name: 'workerCivilNumber', type: 'string' }, { name: 'permitNumber', type: 'string' }]);
    expect(compareWithBaseline('BACKWARD', parsed(v1), v0).kind).toBe('compatible');
    expect(compareWithBaseline('FORWARD', parsed(v1), v0).kind).toBe('incompatible');
    expect(compareWithBaseline('NONE', parsed(schema([{ name: 'x', type: 'int' }])), v0).kind).toBe('compatible');
  });

  it('does not hold a base schema that does not parse against the change', () => {
    const verdict = compareWithBaseline('BACKWARD', parsed(v1), '{"type": "record"');
    expect(verdict.kind).toBe('baseline-unreadable');
  });
});

describe('reading the git base', () => {
  const git = gitReader(WORKSPACE_ROOT);

  it('knows which revisions exist', () => {
    expect(git.refExists('HEAD')).toBe(true);
    expect(git.refExists('no-such-ref-for-rabt-tests')).toBe(false);
    expect(git.refExists('--output=/tmp/x')).toBe(false);
  });

  it('reads a file at a revision, and nothing for a file that is not there', () => {
    expect(JSON.parse(git.showFile('HEAD', 'schemas/catalogue.json')!)).toHaveProperty('types');
    expect(git.showFile('HEAD', 'schemas/mom/mom.employee.never-existed.avsc')).toBeUndefined();
  });
});
