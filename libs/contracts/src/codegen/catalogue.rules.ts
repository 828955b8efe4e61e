// The catalogue rules JSON Schema cannot state (schemas/README.md, "Naming rules"). Pure logic.
import type { LoadedCatalogueEntry } from './catalogue.loader';

/** `mom.employee.left-work-reported` -> `MomEmployeeLeftWorkReported`. */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** True when the Avro type (as written in JSON) is a plain string. */
export function isAvroString(type: unknown): boolean {
  return type === 'string' || (typeof type === 'object' && type !== null && (type as Record<string, unknown>)['type'] === 'string' && !('logicalType' in type));
}

/** The record's top-level fields, or undefined if the schema is not a record with a fields array. */
export function topLevelFields(schema: unknown): readonly Record<string, unknown>[] | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const record = schema as Record<string, unknown>;
  if (record['type'] !== 'record' || !Array.isArray(record['fields'])) return undefined;
  return record['fields'] as Record<string, unknown>[];
}

/** Everything about one entry that breaks the naming rules; empty when it follows them. */
export function catalogueRuleProblems(entry: LoadedCatalogueEntry): string[] {
  const problems: string[] = [];
  const [first, ...rest] = entry.type.split('.');
  if (entry.topic !== entry.type) problems.push(`topic '${entry.topic}' differs from the type (topic = type)`);
  const expectedFile = `${first}/${entry.type}.avsc`;
  if (entry.schemaFile !== expectedFile) problems.push(`schema file is '${entry.schemaFile}', expected '${expectedFile}'`);
  if (entry.schemaJson === undefined) return problems;
  const fields = topLevelFields(entry.schemaJson);
  if (!fields) return [...problems, 'the schema is not an Avro record'];
  const record = entry.schemaJson as Record<string, unknown>;
  const expectedNamespace = `om.gov.rabt.${first}`;
  if (record['namespace'] !== expectedNamespace) problems.push(`namespace is '${String(record['namespace'])}', expected '${expectedNamespace}'`);
  const expectedName = pascalCase(rest.join('.'));
  if (record['name'] !== expectedName) problems.push(`record name is '${String(record['name'])}', expected '${expectedName}'`);
  const key = fields.find((f) => f['name'] === entry.partitionKey);
  if (!key) problems.push(`partition key '${entry.partitionKey}' is not a top-level field of the schema`);
  else if (!isAvroString(key['type'])) problems.push(`partition key '${entry.partitionKey}' is not a string field`);
  return problems;
}
