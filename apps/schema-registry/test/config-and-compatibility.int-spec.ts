import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, startRegistry } from './registry.harness';
import {
  type AvroField,
  type AvroSchema,
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  enumSchema,
  expectError,
  expectStatus,
  idField,
  record,
  register,
  registerOk,
  setCompatibility,
  subjectNames,
  subjectPath,
  versionsOf,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('cfg');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

// Building blocks for the evolution table. Avro resolution: the reader must be able to read
// the writer's data. BACKWARD: new schema reads old data; FORWARD: old schemas read new data.
const evo = (...fields: AvroField[]): AvroSchema => record('Evo', fields);
const xInt: AvroField = { name: 'x', type: 'int' };
const xIntDefault: AvroField = { name: 'x', type: 'int', default: 0 };
const xLong: AvroField = { name: 'x', type: 'long' };
const xString: AvroField = { name: 'x', type: 'string' };
const xNullableString: AvroField = { name: 'x', type: ['null', 'string'] };
const yOptional: AvroField = { name: 'y', type: ['null', 'string'], default: null };
const zInt: AvroField = { name: 'z', type: 'int' };
const colour = (...symbols: string[]): AvroField => ({ name: 'colour', type: enumSchema('Colour', symbols) });
const renamed = record('Renamed', [idField]);

interface EvolutionCase {
  level: CompatibilityLevel;
  change: string;
  history: AvroSchema[];
  candidate: AvroSchema;
  expected: 200 | 409;
}

const evolutionCases: EvolutionCase[] = [
  { level: 'NONE', change: 'change a field type string -> int', history: [evo(idField, xString)], candidate: evo(idField, xInt), expected: 200 },
  { level: 'NONE', change: 'add a field without default', history: [evo(idField)], candidate: evo(idField, xInt), expected: 200 },
  { level: 'NONE', change: 'rename the record', history: [evo(idField)], candidate: renamed, expected: 200 },

  { level: 'BACKWARD', change: 'add a field with default', history: [evo(idField)], candidate: evo(idField, xIntDefault), expected: 200 },
  { level: 'BACKWARD', change: 'add a field without default', history: [evo(idField)], candidate: evo(idField, xInt), expected: 409 },
  { level: 'BACKWARD', change: 'remove a field without default', history: [evo(idField, xInt)], candidate: evo(idField), expected: 200 },
  { level: 'BACKWARD', change: 'promote int -> long', history: [evo(idField, xInt)], candidate: evo(idField, xLong), expected: 200 },
  { level: 'BACKWARD', change: 'narrow long -> int', history: [evo(idField, xLong)], candidate: evo(idField, xInt), expected: 409 },
  { level: 'BACKWARD', change: 'change a field type string -> int', history: [evo(idField, xString)], candidate: evo(idField, xInt), expected: 409 },
  { level: 'BACKWARD', change: 'add an enum symbol', history: [evo(idField, colour('RED', 'GREEN'))], candidate: evo(idField, colour('RED', 'GREEN', 'BLUE')), expected: 200 },
  { level: 'BACKWARD', change: 'remove an enum symbol', history: [evo(idField, colour('RED', 'GREEN', 'BLUE'))], candidate: evo(idField, colour('RED', 'GREEN')), expected: 409 },
  { level: 'BACKWARD', change: 'widen string to a nullable union', history: [evo(idField, xString)], candidate: evo(idField, xNullableString), expected: 200 },
  { level: 'BACKWARD', change: 'rename the record', history: [evo(idField)], candidate: renamed, expected: 409 },
  { level: 'BACKWARD', change: 'drop a default: checked against the latest version only', history: [evo(idField), evo(idField, xIntDefault)], candidate: evo(idField, xInt), expected: 200 },

  { level: 'BACKWARD_TRANSITIVE', change: 'drop a default: version 1 lacks the field', history: [evo(idField), evo(idField, xIntDefault)], candidate: evo(idField, xInt), expected: 409 },
  { level: 'BACKWARD_TRANSITIVE', change: 'add defaulted fields over three versions', history: [evo(idField), evo(idField, xIntDefault)], candidate: evo(idField, xIntDefault, yOptional), expected: 200 },
  { level: 'BACKWARD_TRANSITIVE', change: 'remove a field and keep an optional one', history: [evo(idField, xInt), evo(idField, xInt, yOptional)], candidate: evo(idField, yOptional), expected: 200 },

  { level: 'FORWARD', change: 'add a field without default', history: [evo(idField)], candidate: evo(idField, xInt), expected: 200 },
  { level: 'FORWARD', change: 'remove a field without default', history: [evo(idField, xInt)], candidate: evo(idField), expected: 409 },
  { level: 'FORWARD', change: 'remove a field with default', history: [evo(idField, xIntDefault)], candidate: evo(idField), expected: 200 },
  { level: 'FORWARD', change: 'promote int -> long', history: [evo(idField, xInt)], candidate: evo(idField, xLong), expected: 409 },
  { level: 'FORWARD', change: 'narrow long -> int', history: [evo(idField, xLong)], candidate: evo(idField, xInt), expected: 200 },
  { level: 'FORWARD', change: 'add an enum symbol', history: [evo(idField, colour('RED', 'GREEN'))], candidate: evo(idField, colour('RED', 'GREEN', 'BLUE')), expected: 409 },
  { level: 'FORWARD', change: 'widen string to a nullable union', history: [evo(idField, xString)], candidate: evo(idField, xNullableString), expected: 409 },
  { level: 'FORWARD', change: 'remove a field: checked against the latest version only', history: [evo(idField, xInt), evo(idField, xIntDefault)], candidate: evo(idField), expected: 200 },

  { level: 'FORWARD_TRANSITIVE', change: 'remove a field: version 1 has it without default', history: [evo(idField, xInt), evo(idField, xIntDefault)], candidate: evo(idField), expected: 409 },
  { level: 'FORWARD_TRANSITIVE', change: 'add required fields over three versions', history: [evo(idField), evo(idField, xInt)], candidate: evo(idField, xInt, zInt), expected: 200 },

  { level: 'FULL', change: 'add a field with default', history: [evo(idField)], candidate: evo(idField, xIntDefault), expected: 200 },
  { level: 'FULL', change: 'add a field without default', history: [evo(idField)], candidate: evo(idField, xInt), expected: 409 },
  { level: 'FULL', change: 'remove a field with default', history: [evo(idField, xIntDefault)], candidate: evo(idField), expected: 200 },
  { level: 'FULL', change: 'remove a field without default', history: [evo(idField, xInt)], candidate: evo(idField), expected: 409 },
  { level: 'FULL', change: 'promote int -> long', history: [evo(idField, xInt)], candidate: evo(idField, xLong), expected: 409 },
  { level: 'FULL', change: 'add an optional union field defaulting to null', history: [evo(idField)], candidate: evo(idField, yOptional), expected: 200 },
  { level: 'FULL', change: 'remove a field: checked against the latest version only', history: [evo(idField, xInt), evo(idField, xIntDefault)], candidate: evo(idField), expected: 200 },

  { level: 'FULL_TRANSITIVE', change: 'remove a field: version 1 has it without default', history: [evo(idField, xInt), evo(idField, xIntDefault)], candidate: evo(idField), expected: 409 },
  { level: 'FULL_TRANSITIVE', change: 'add defaulted fields over three versions', history: [evo(idField), evo(idField, xIntDefault)], candidate: evo(idField, xIntDefault, yOptional), expected: 200 },
];

describe('global compatibility config', () => {
  // First test of the file: nothing has changed the global level yet.
  it('defaults to BACKWARD', async () => {
    const res = await sr.request('GET', '/config');
    expectStatus(res, 200);
    expect(res.body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('PUT /config answers {compatibility} and GET /config answers {compatibilityLevel}', async () => {
    try {
      const put = await sr.request('PUT', '/config', { body: { compatibility: 'FULL' } });
      expectStatus(put, 200);
      expect(put.body).toEqual({ compatibility: 'FULL' });
      expect((await sr.request('GET', '/config')).body).toEqual({ compatibilityLevel: 'FULL' });
    } finally {
      await setCompatibility(sr, 'BACKWARD');
    }
  });

  it('DELETE /config reverts the global level to the BACKWARD default', async () => {
    try {
      await setCompatibility(sr, 'NONE');
      expectStatus(await sr.request('DELETE', '/config'), 200);
      expect((await sr.request('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    } finally {
      await setCompatibility(sr, 'BACKWARD');
    }
  });

  it('governs registration in subjects without a level of their own', async () => {
    const s = subject('global-governs');
    await registerOk(sr, s, evo(idField, xString));
    expectError(await register(sr, s, evo(idField, xInt)), 409, 409);
    try {
      await setCompatibility(sr, 'NONE');
      await registerOk(sr, s, evo(idField, xInt));
    } finally {
      await setCompatibility(sr, 'BACKWARD');
    }
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('rejects an unknown level with 42203 and keeps the current one', async () => {
    expectError(await sr.request('PUT', '/config', { body: { compatibility: 'SIDEWAYS' } }), 422, 42203);
    expect((await sr.request('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });
});

describe('subject compatibility config', () => {
  it.each(COMPATIBILITY_LEVELS)('accepts %s as a subject level', async (level) => {
    const s = subject(`level-${level.toLowerCase()}`);
    const put = await sr.request('PUT', `/config/${encodeURIComponent(s)}`, { body: { compatibility: level } });
    expectStatus(put, 200);
    expect(put.body).toEqual({ compatibility: level });
    expect((await sr.request('GET', `/config/${encodeURIComponent(s)}`)).body).toEqual({ compatibilityLevel: level });
  });

  it('GET answers 40408 for a subject without its own level, and the global level with defaultToGlobal=true', async () => {
    const s = subject('unset');
    await registerOk(sr, s, evo(idField));
    expectError(await sr.request('GET', `/config/${encodeURIComponent(s)}`), 404, 40408);
    const fallback = await sr.request('GET', `/config/${encodeURIComponent(s)}?defaultToGlobal=true`);
    expectStatus(fallback, 200);
    expect(fallback.body).toEqual({ compatibilityLevel: 'BACKWARD' });

    await setCompatibility(sr, 'FORWARD', s);
    const own = await sr.request('GET', `/config/${encodeURIComponent(s)}?defaultToGlobal=true`);
    expect(own.body).toEqual({ compatibilityLevel: 'FORWARD' });
  });

  it('overrides the global level for registration in that subject only', async () => {
    const loose = subject('override-loose');
    const strict = subject('override-strict');
    await setCompatibility(sr, 'NONE', loose);
    for (const s of [loose, strict]) await registerOk(sr, s, evo(idField, xString));
    await registerOk(sr, loose, evo(idField, xInt));
    expectError(await register(sr, strict, evo(idField, xInt)), 409, 409);
  });

  it('DELETE removes the subject level so the global level applies again', async () => {
    const s = subject('delete');
    await setCompatibility(sr, 'NONE', s);
    await registerOk(sr, s, evo(idField, xString));
    expectStatus(await sr.request('DELETE', `/config/${encodeURIComponent(s)}`), 200);
    expectError(await sr.request('GET', `/config/${encodeURIComponent(s)}`), 404, 40408);
    expectError(await register(sr, s, evo(idField, xInt)), 409, 409);
  });

  it('rejects an unknown level with 42203', async () => {
    const s = subject('invalid');
    expectError(await sr.request('PUT', `/config/${encodeURIComponent(s)}`, { body: { compatibility: 'MOSTLY' } }), 422, 42203);
    expectError(await sr.request('GET', `/config/${encodeURIComponent(s)}`), 404, 40408);
  });
});

describe('schema evolution on POST /subjects/{subject}/versions', () => {
  let caseNumber = 0;
  it.each(evolutionCases)('$level: $change -> $expected', async ({ level, history, candidate, expected }) => {
    const s = subject(`evolve-${++caseNumber}`);
    // Build the history without checks, then switch the subject to the level under test.
    await setCompatibility(sr, 'NONE', s);
    for (const schema of history) await registerOk(sr, s, schema);
    await setCompatibility(sr, level, s);

    const res = await register(sr, s, candidate);
    if (expected === 200) {
      expectStatus(res, 200);
      expect(await versionsOf(sr, s)).toHaveLength(history.length + 1);
    } else {
      expectError(res, 409, 409);
      expect(await versionsOf(sr, s)).toHaveLength(history.length);
    }
  });
});

describe('POST /compatibility/subjects/{subject}/versions[/{version}]', () => {
  const check = (s: string, version: string | null, schema: AvroSchema, query = '') =>
    sr.request('POST', `/compatibility${subjectPath(s)}/versions${version === null ? '' : `/${version}`}${query}`, {
      body: { schema: JSON.stringify(schema) },
    });
  // v2 adds a defaulted field; the candidate makes it required: readable from v2 data, not v1 data.
  const v1 = record('Check', [idField]);
  const v2 = record('Check', [idField, xIntDefault]);
  const candidate = record('Check', [idField, xInt]);

  async function checkedSubject(tag: string, level: CompatibilityLevel): Promise<string> {
    const s = subject(tag);
    await registerOk(sr, s, v1);
    await registerOk(sr, s, v2);
    await setCompatibility(sr, level, s);
    return s;
  }

  it('checks against a given version or the latest, answering {is_compatible}', async () => {
    const s = await checkedSubject('versions', 'BACKWARD');
    for (const version of ['latest', '2']) {
      const res = await check(s, version, candidate);
      expectStatus(res, 200);
      expect(res.body).toEqual({ is_compatible: true });
    }
    const old = await check(s, '1', candidate);
    expectStatus(old, 200);
    expect(old.body).toEqual({ is_compatible: false });
  });

  it('verbose=true adds the reasons as messages', async () => {
    const s = await checkedSubject('verbose', 'BACKWARD');
    const bad = await check(s, '1', candidate, '?verbose=true');
    expectStatus(bad, 200);
    expect(bad.body.is_compatible).toBe(false);
    expect(Array.isArray(bad.body.messages)).toBe(true);
    expect(bad.body.messages.length).toBeGreaterThan(0);
    for (const message of bad.body.messages as unknown[]) expect(typeof message).toBe('string');

    const good = await check(s, 'latest', candidate, '?verbose=true');
    expectStatus(good, 200);
    expect(good.body.is_compatible).toBe(true);
    expect(Array.isArray(good.body.messages)).toBe(true);
  });

  it('without a version applies the subject level: latest for BACKWARD, all for BACKWARD_TRANSITIVE', async () => {
    const s = await checkedSubject('all', 'BACKWARD');
    expect((await check(s, null, candidate)).body).toEqual({ is_compatible: true });
    await setCompatibility(sr, 'BACKWARD_TRANSITIVE', s);
    const transitive = await check(s, null, candidate);
    expectStatus(transitive, 200);
    expect(transitive.body).toEqual({ is_compatible: false });
  });

  it('answers true for anything when the level is NONE', async () => {
    const s = await checkedSubject('none', 'NONE');
    expect((await check(s, '1', renamed)).body).toEqual({ is_compatible: true });
    expect((await check(s, null, renamed)).body).toEqual({ is_compatible: true });
  });

  it('registers nothing', async () => {
    const s = await checkedSubject('no-side-effect', 'BACKWARD');
    expectStatus(await check(s, 'latest', candidate), 200);
    expectStatus(await check(s, null, candidate), 200);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });

  it('answers 40402 for an unknown version, 40401 for an unknown subject, 42201 for an invalid schema', async () => {
    const s = await checkedSubject('errors', 'BACKWARD');
    expectError(await check(s, '9', candidate), 404, 40402);
    expectError(await check(subject('errors-unknown'), '1', candidate), 404, 40401);
    expectError(await check(s, 'latest', { type: 'record', name: 'Broken' }), 422, 42201);
  });
});

describe('persistence', () => {
  it('keeps global and subject levels across a restart', async () => {
    const s = subject('restart');
    await setCompatibility(sr, 'FULL_TRANSITIVE', s);
    try {
      await setCompatibility(sr, 'FORWARD');
      await sr.restart();
      expect((await sr.request('GET', '/config')).body).toEqual({ compatibilityLevel: 'FORWARD' });
      expect((await sr.request('GET', `/config/${encodeURIComponent(s)}`)).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
    } finally {
      await setCompatibility(sr, 'BACKWARD');
    }
  });
});
