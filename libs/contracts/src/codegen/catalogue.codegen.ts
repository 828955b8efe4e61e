// Renders libs/contracts/src/generated/catalogue.generated.ts from the loaded catalogue.
import { AvroTypeScriptEmitter, jsDoc } from './avro-typescript';
import { CatalogueException, loadCatalogue, type LoadedCatalogue, type LoadedCatalogueEntry } from './catalogue.loader';
import { catalogueRuleProblems, pascalCase } from './catalogue.rules';

/** Where the generated catalogue lives, relative to the workspace root. */
export const CATALOGUE_GENERATED_FILE = 'libs/contracts/src/generated/catalogue.generated.ts';

const HEADER = `// GENERATED FILE, DO NOT EDIT. Source: schemas/catalogue.json and the .avsc files it names.
// Regenerate with \`npm run contracts:generate\` (rabt contracts generate); CI fails when it is stale.`;

/** The TypeScript source of the generated catalogue for the schemas in `schemasDir`. */
export function generateCatalogueSource(schemasDir: string): string {
  return renderCatalogueSource(loadCatalogue(schemasDir));
}

/**
 * Renders the catalogue. Throws CatalogueException when a schema is missing, is not JSON, or
 * breaks the catalogue rules (topic = type, partition key a top-level string field, …).
 */
export function renderCatalogueSource(catalogue: LoadedCatalogue): string {
  const problems = catalogue.entries.flatMap((e) => [...(e.schemaProblem ? [e.schemaProblem] : []), ...catalogueRuleProblems(e)].map((p) => `${e.type}: ${p}`));
  const keys = new Map<string, string>();
  for (const e of catalogue.entries) {
    const key = pascalCase(e.type);
    const other = keys.get(key);
    if (other) problems.push(`${e.type}: its constant name ${key} is also the name of ${other}`);
    keys.set(key, e.type);
  }
  if (problems.length > 0) throw new CatalogueException(`${catalogue.schemasDir}/catalogue.json`, problems);

  const emitter = new AvroTypeScriptEmitter();
  const dataNames = catalogue.entries.map((e) => emitter.addEvent(e.type, e.schemaJson));
  return [
    HEADER,
    `import type { CatalogueEntry } from '../catalogue.types';`,
    renderEventTypes(catalogue.entries),
    `/** One of the CloudEvents types in the catalogue. */\nexport type EventType = (typeof EventTypes)[keyof typeof EventTypes];`,
    emitter.render(),
    renderDataByType(catalogue.entries, dataNames),
    renderCatalogue(catalogue.entries),
  ].join('\n\n').concat('\n');
}

function renderEventTypes(entries: readonly LoadedCatalogueEntry[]): string {
  const members = entries.map((e) => `${jsDoc([e.description.en], '  ')}  ${pascalCase(e.type)}: ${quote(e.type)},`);
  return `/** The CloudEvents \`type\` of every event Rabt carries. Use these instead of repeating the strings. */\nexport const EventTypes = {\n${members.join('\n')}\n} as const;`;
}

function renderDataByType(entries: readonly LoadedCatalogueEntry[], dataNames: readonly string[]): string {
  const members = entries.map((e, i) => `  ${quote(e.type)}: ${dataNames[i]!};`);
  return `/** The CloudEvents \`data\` of each event type, as read with avsc \`wrapUnions: false\`. */\nexport interface EventDataByType {\n${members.join('\n')}\n}`;
}

function renderCatalogue(entries: readonly LoadedCatalogueEntry[]): string {
  const items = entries.map((e) => {
    const fields: [string, unknown][] = [
      ['type', e.type],
      ['topic', e.topic],
      ['subject', e.subject],
      ['owner', e.owner],
      ['partitionKey', e.partitionKey],
      ['partitions', e.partitions],
      ['retentionMs', e.retentionMs],
      ['compatibility', e.compatibility],
      ['workflowTrigger', e.workflowTrigger],
      ['description', e.description],
      ['schema', e.schemaJson],
    ];
    return `  {\n${fields.map(([k, v]) => `    ${k}: ${literal(v, '    ')},`).join('\n')}\n  },`;
  });
  return `/** Every event type: topic settings, registry subject, owner and Avro schema (schemas/catalogue.json). */\nexport const CATALOGUE = [\n${items.join('\n')}\n] as const satisfies readonly CatalogueEntry[];`;
}

/** A TypeScript literal for a JSON value: single-quoted strings, bare keys where possible. */
function literal(value: unknown, indent: string): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((v) => literal(v, inner)).join(', ')}]`;
    if (value.every((v) => typeof v !== 'object' || v === null) && flat.length <= 80) return flat;
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k));
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},`).join('\n')}\n${indent}}`;
}

function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029')}'`;
}
