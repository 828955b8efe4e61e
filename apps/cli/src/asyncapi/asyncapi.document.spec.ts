import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '@rabt/contracts/codegen';
import { SCHEMAS_DIR, WORKSPACE_ROOT } from '../testing/cli-test.helpers';
import { ASYNCAPI_FILE, AVRO_SCHEMA_FORMAT, buildAsyncApiDocument, renderAsyncApi } from './asyncapi.document';

const catalogue = loadCatalogue(SCHEMAS_DIR);
const document = buildAsyncApiDocument(catalogue.entries, '9.9.9');

/** Resolves a local JSON Pointer reference (`#/a/b~1c`) in `root`. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local reference: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

function allRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) allRefs(n, found);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else allRefs(v, found);
    }
  }
  return found;
}

describe('the AsyncAPI document', () => {
  it('is AsyncAPI 3.0.0 with the local Kafka server', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.info).toMatchObject({ title: 'Rabt', version: '9.9.9' });
    expect(document.servers['local']).toMatchObject({ host: '127.0.0.1:9092', protocol: 'kafka' });
  });

  it.each(catalogue.entries.map((e) => [e.type, e] as const))('%s: a channel with its Avro message, Kafka bindings and two operations', (type, entry) => {
    const channel = document.channels[type]!;
    expect(channel.address).toBe(entry.topic);
    expect(channel.bindings.kafka).toEqual({ topic: entry.topic, partitions: entry.partitions, replicas: 1, topicConfiguration: { 'retention.ms': entry.retentionMs }, bindingVersion: '0.5.0' });
    const messages = Object.values(channel.messages);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.payload).toEqual({ schemaFormat: AVRO_SCHEMA_FORMAT, schema: entry.schemaJson });
    expect(messages[0]!.bindings.kafka).toMatchObject({ key: { type: 'string' }, bindingVersion: '0.5.0' });
    expect(JSON.stringify(messages[0]!.bindings.kafka['key'])).toContain(entry.partitionKey);
    const publish = document.operations[`${type}.publish`]!;
    const receive = document.operations[`${type}.receive`]!;
    expect(publish.action).toBe('send');
    expect(receive.action).toBe('receive');
    for (const op of [publish, receive]) {
      expect(resolvePointer(document, op.channel.$ref)).toBe(channel);
      expect(op.messages.map((m) => resolvePointer(document, m.$ref))).toEqual(messages);
      expect(op.tags.map((t) => t['name'])).toEqual([entry.owner]);
    }
  });

  it('has no other channels or operations', () => {
    expect(Object.keys(document.channels)).toHaveLength(catalogue.entries.length);
    expect(Object.keys(document.operations)).toHaveLength(catalogue.entries.length * 2);
  });

  it('describes the CloudEvents headers, and every $ref resolves', () => {
    const refs = allRefs(document);
    expect(refs.length).toBeGreaterThan(catalogue.entries.length * 4);
    for (const ref of refs) expect(resolvePointer(document, ref), ref).toBeDefined();
    const headers = resolvePointer(document, '#/components/schemas/CloudEventsKafkaHeaders') as { properties: Record<string, unknown> };
    expect(Object.keys(headers.properties)).toEqual(expect.arrayContaining(['ce_id', 'ce_source', 'ce_type', 'ce_specversion', 'ce_time', 'ce_transactionid', 'content-type']));
  });

  it(`is what ${ASYNCAPI_FILE} holds (run npm run rabt -- asyncapi after a schema change)`, () => {
    const pkg = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { version: string };
    const committed = readFileSync(join(WORKSPACE_ROOT, ASYNCAPI_FILE), 'utf8');
    expect(committed, `${ASYNCAPI_FILE} is stale: run npm run rabt -- asyncapi`).toBe(renderAsyncApi(buildAsyncApiDocument(catalogue.entries, pkg.version)));
  });
});
