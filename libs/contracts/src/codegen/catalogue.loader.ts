// Reads schemas/catalogue.json and the .avsc files it names. Node-only (node:fs), so it is
// reachable only through @rabt/contracts/codegen, never through @rabt/contracts.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isCompatibilityLevel, type CompatibilityLevel } from '@rabt/avro';

export const CATALOGUE_FILE = 'catalogue.json';
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

/** A catalogue that cannot be used at all: unreadable, not JSON, or entries of the wrong shape. */
export class CatalogueException extends Error {
  override readonly name = 'CatalogueException';

  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is not a usable catalogue:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface LoadedCatalogueEntry {
  readonly type: string;
  readonly topic: string;
  readonly subject: string;
  readonly owner: string;
  readonly partitionKey: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly compatibility: CompatibilityLevel;
  readonly workflowTrigger: boolean;
  readonly description: { readonly en: string; readonly ar: string };
  /** The schema path as the catalogue names it, relative to the schemas folder. */
  readonly schemaFile: string;
  /** Absolute path of the .avsc file. */
  readonly schemaPath: string;
  /** The .avsc text, undefined if the file could not be read. */
  readonly schemaText: string | undefined;
  /** The .avsc parsed as JSON, undefined if it could not be read or is not JSON. */
  readonly schemaJson: unknown;
  /** Why the schema file could not be read or parsed as JSON. */
  readonly schemaProblem: string | undefined;
}

export interface LoadedCatalogue {
  readonly schemasDir: string;
  readonly entries: readonly LoadedCatalogueEntry[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Loads the catalogue of `schemasDir`. Throws CatalogueException (listing every problem) when the
 * catalogue itself is unusable; a schema file that is missing or not JSON is reported on its
 * entry (`schemaProblem`), so that checks can name the type it belongs to.
 */
export function loadCatalogue(schemasDir: string): LoadedCatalogue {
  const dir = resolve(schemasDir);
  const file = join(dir, CATALOGUE_FILE);
  if (!existsSync(file)) throw new CatalogueException(file, ['file not found']);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CatalogueException(file, [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (!isObject(json) || !Array.isArray(json['types'])) throw new CatalogueException(file, ['expected an object with a "types" array']);
  const problems: string[] = [];
  const entries: LoadedCatalogueEntry[] = [];
  const seen = new Set<string>();
  json['types'].forEach((raw: unknown, i) => {
    const entry = readEntry(raw, `types[${i}]`, problems);
    if (!entry) return;
    if (seen.has(entry.type)) problems.push(`types[${i}]: type '${entry.type}' appears more than once`);
    seen.add(entry.type);
    entries.push({ ...entry, ...readSchema(dir, entry.schemaFile) });
  });
  if (problems.length > 0) throw new CatalogueException(file, problems);
  return { schemasDir: dir, entries };
}

type EntryFields = Omit<LoadedCatalogueEntry, 'schemaPath' | 'schemaText' | 'schemaJson' | 'schemaProblem'>;

function readEntry(raw: unknown, at: string, problems: string[]): EntryFields | undefined {
  if (!isObject(raw)) {
    problems.push(`${at}: expected an object`);
    return undefined;
  }
  const before = problems.length;
  const str = (key: string): string => {
    const v = raw[key];
    if (typeof v === 'string' && v !== '') return v;
    problems.push(`${at}.${key}: expected a non-empty string`);
    return '';
  };
  const int = (key: string): number => {
    const v = raw[key];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    problems.push(`${at}.${key}: expected a whole number`);
    return 0;
  };
  const type = str('type');
  const topic = str('topic');
  const schemaFile = str('schema');
  const owner = str('owner');
  const partitionKey = str('partitionKey');
  const partitions = int('partitions');
  const retentionMs = int('retentionMs');
  const workflowTrigger = raw['workflowTrigger'];
  if (typeof workflowTrigger !== 'boolean') problems.push(`${at}.workflowTrigger: expected true or false`);
  const description = raw['description'];
  const en = isObject(description) ? description['en'] : undefined;
  const ar = isObject(description) ? description['ar'] : undefined;
  if (typeof en !== 'string' || typeof ar !== 'string') problems.push(`${at}.description: expected { "en": "…", "ar": "…" }`);
  const compatibility = raw['compatibility'] ?? DEFAULT_COMPATIBILITY;
  if (!isCompatibilityLevel(compatibility)) problems.push(`${at}.compatibility: '${String(compatibility)}' is not a compatibility level`);
  if (problems.length > before) return undefined;
  return {
    type,
    topic,
    subject: `${topic}-value`,
    owner,
    partitionKey,
    partitions,
    retentionMs,
    compatibility: compatibility as CompatibilityLevel,
    workflowTrigger: workflowTrigger as boolean,
    description: { en: en as string, ar: ar as string },
    schemaFile,
  };
}

function readSchema(dir: string, schemaFile: string): Pick<LoadedCatalogueEntry, 'schemaPath' | 'schemaText' | 'schemaJson' | 'schemaProblem'> {
  const schemaPath = resolve(dir, schemaFile);
  if (!existsSync(schemaPath)) return { schemaPath, schemaText: undefined, schemaJson: undefined, schemaProblem: `schema file ${schemaFile} not found` };
  const schemaText = readFileSync(schemaPath, 'utf8');
  try {
    return { schemaPath, schemaText, schemaJson: JSON.parse(schemaText), schemaProblem: undefined };
  } catch (e) {
    return { schemaPath, schemaText, schemaJson: undefined, schemaProblem: `${schemaFile} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}
