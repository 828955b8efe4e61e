// Golden fixtures: test/fixtures/<type>/ok/*.json must be accepted by the type's schema and
// not-ok/*.json rejected, read the way the gateway reads payloads (avsc, wrapUnions: false,
// undeclared fields refused).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as avro from 'avsc';

export interface Fixture {
  /** `ok/<name>.json` or `not-ok/<name>.json`. */
  readonly file: string;
  readonly data: unknown;
  /** Set when the file is not JSON. */
  readonly problem?: string;
}

export interface FixtureSet {
  readonly ok: readonly Fixture[];
  readonly notOk: readonly Fixture[];
}

export interface FixtureResult {
  readonly problems: readonly string[];
  readonly checked: number;
}

/** The fixtures of `type` under `fixturesDir`, or undefined when the type has no fixture folder. */
export function readFixtures(fixturesDir: string, type: string): FixtureSet | undefined {
  const dir = join(fixturesDir, type);
  if (!existsSync(dir)) return undefined;
  const read = (sub: 'ok' | 'not-ok'): Fixture[] => {
    const folder = join(dir, sub);
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const file = `${sub}/${f}`;
        try {
          return { file, data: JSON.parse(readFileSync(join(folder, f), 'utf8')) as unknown };
        } catch (e) {
          return { file, data: undefined, problem: `${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
        }
      });
  };
  return { ok: read('ok'), notOk: read('not-ok') };
}

/** Everything wrong with the fixtures against `schema` (the parsed .avsc JSON). */
export function validateFixtures(schema: unknown, fixtures: FixtureSet | undefined): FixtureResult {
  if (!fixtures) return { problems: ['no golden fixtures (expected test/fixtures/<type>/ok/*.json and not-ok/*.json)'], checked: 0 };
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: false });
  } catch (e) {
    return { problems: [`payloads cannot be read with this schema (avsc, wrapUnions: false): ${e instanceof Error ? e.message : String(e)}`], checked: 0 };
  }
  const problems: string[] = [];
  if (fixtures.ok.length === 0) problems.push('no ok/ fixtures: add at least one valid payload');
  if (fixtures.notOk.length === 0) problems.push('no not-ok/ fixtures: add at least one invalid payload');
  for (const fixture of fixtures.ok) {
    if (fixture.problem) problems.push(fixture.problem);
    else {
      const why = firstInvalidPath(type, fixture.data);
      if (why !== undefined) problems.push(`${fixture.file} is rejected but must be valid: ${why}`);
    }
  }
  for (const fixture of fixtures.notOk) {
    if (fixture.problem) problems.push(fixture.problem);
    else if (firstInvalidPath(type, fixture.data) === undefined) problems.push(`${fixture.file} is accepted but must be invalid`);
  }
  return { problems, checked: fixtures.ok.length + fixtures.notOk.length };
}

/** Undefined when `data` is valid; otherwise where and why the first problem is. */
export function firstInvalidPath(type: avro.Type, data: unknown): string | undefined {
  const found: string[] = [];
  const valid = type.isValid(data, {
    noUndeclaredFields: true,
    errorHook: (path: string[], value: unknown, at: avro.Type) => {
      if (found.length > 0) return;
      const where = path.length > 0 ? path.join('.') : '(the payload)';
      found.push(value === undefined ? `${where} is missing` : `${where} = ${abbreviate(JSON.stringify(value))} is not a valid ${describe(at)}`);
    },
  });
  return valid ? undefined : (found[0] ?? 'invalid');
}

function describe(type: avro.Type): string {
  if (type.typeName === 'record' && type.name) return `${type.name.slice(type.name.lastIndexOf('.') + 1)} (undeclared fields are refused)`;
  if (type.typeName === 'enum') return `${type.name ?? 'enum'} symbol`;
  return type.typeName.replace(/^union:\w+$/, 'union value');
}

function abbreviate(text: string | undefined, max = 60): string {
  const t = text ?? 'undefined';
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
