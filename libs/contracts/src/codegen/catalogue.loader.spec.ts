import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCatalogueSource } from './catalogue.codegen';
import { CatalogueException, loadCatalogue } from './catalogue.loader';
import { catalogueRuleProblems, pascalCase } from './catalogue.rules';
import { CATALOGUE } from '../generated/catalogue.generated';

const SCHEMAS_DIR = resolve(__dirname, '..', '..', '..', '..', 'schemas');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of schemas/ whose catalogue is edited by `edit`. */
function schemasWith(edit: (catalogue: { types: Record<string, unknown>[] }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-contracts-'));
  dirs.push(dir);
  cpSync(SCHEMAS_DIR, dir, { recursive: true });
  const catalogue = JSON.parse(readFileSync(join(dir, 'catalogue.json'), 'utf8')) as { types: Record<string, unknown>[] };
  edit(catalogue);
  writeFileSync(join(dir, 'catalogue.json'), JSON.stringify(catalogue));
  return dir;
}

describe('loading the catalogue', () => {
  it('reads every entry with its schema, subject and compatibility (BACKWARD unless given)', () => {
    const dir = schemasWith((c) => {
      c.types[1]!['compatibility'] = 'FULL_TRANSITIVE';
    });
    const { entries } = loadCatalogue(dir);
    expect(entries).toHaveLength(CATALOGUE.length);
    expect(entries[0]).toMatchObject({ type: 'mom.employee.left-work-reported', subject: 'mom.employee.left-work-reported-value', compatibility: 'BACKWARD', schemaProblem: undefined });
    expect(entries[1]!.compatibility).toBe('FULL_TRANSITIVE');
    expect(generateCatalogueSource(dir)).toContain("compatibility: 'FULL_TRANSITIVE'");
  });

  it('lists every shape problem of an unusable catalogue at once', () => {
    const dir = schemasWith((c) => {
      delete c.types[0]!['owner'];
      c.types[1]!['partitions'] = 'six';
      c.types[2]!['compatibility'] = 'SIDEWAYS';
      c.types.push({ ...c.types[3]! });
    });
    expect(() => loadCatalogue(dir)).toThrow(CatalogueException);
    try {
      loadCatalogue(dir);
    } catch (e) {
      expect((e as CatalogueException).problems).toEqual([
        'types[0].owner: expected a non-empty string',
        'types[1].partitions: expected a whole number',
        "types[2].compatibility: 'SIDEWAYS' is not a compatibility level",
        `types[${CATALOGUE.length}]: type 'mom.work-permit.suspended' appears more than once`,
      ]);
    }
  });

  it('reports a missing schema file on its entry, and the generator refuses it', () => {
    const dir = schemasWith((c) => {
      c.types[0]!['schema'] = 'mom/mom.employee.gone.avsc';
    });
    expect(loadCatalogue(dir).entries[0]!.schemaProblem).toBe('schema file mom/mom.employee.gone.avsc not found');
    expect(() => generateCatalogueSource(dir)).toThrow('mom.employee.left-work-reported: schema file mom/mom.employee.gone.avsc not found');
  });

  it('refuses a folder without catalogue.json', () => {
    expect(() => loadCatalogue(tmpdir())).toThrow(/catalogue\.json is not a usable catalogue:\n {2}- file not found/);
  });
});

describe('catalogue rules', () => {
  it('hold for every entry of the repository', () => {
    for (const entry of loadCatalogue(SCHEMAS_DIR).entries) expect(catalogueRuleProblems(entry), entry.type).toEqual([]);
  });

  it('catch a topic that is not the type, a misplaced schema and a partition key that is not a top-level string', () => {
    const [entry] = loadCatalogue(SCHEMAS_DIR).entries;
    expect(catalogueRuleProblems({ ...entry!, topic: 'mom.employee.other', schemaFile: 'mom/x.avsc', partitionKey: 'workerName' })).toEqual([
      "topic 'mom.employee.other' differs from the type (topic = type)",
      "schema file is 'mom/x.avsc', expected 'mom/mom.employee.left-work-reported.avsc'",
      "partition key 'workerName' is not a string field",
    ]);
    expect(catalogueRuleProblems({ ...entry!, partitionKey: 'nameEn' })).toEqual(["partition key 'nameEn' is not a top-level field of the schema"]);
  });

  it('make PascalCase names from types', () => {
    expect(pascalCase('rabt.transaction.sla-breached')).toBe('RabtTransactionSlaBreached');
  });
});
