import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@rabt/testing';
import { startRegistry, type RegistryHarness } from './registry.harness';

// @kafkajs/confluent-schema-registry, unchanged, against Rabt's registry.
const TYPE = 'mom.employee.left-work-reported';
const schemaText = readFileSync(join(WORKSPACE_ROOT, 'schemas/mom', `${TYPE}.avsc`), 'utf8');
const fixtures = (kind: 'ok' | 'not-ok') =>
  readdirSync(join(WORKSPACE_ROOT, 'test/fixtures', TYPE, kind)).map((f) => ({
    name: f,
    data: JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', TYPE, kind, f), 'utf8')) as Record<string, unknown>,
  }));

let sr: RegistryHarness;
let client: SchemaRegistry;

beforeAll(async () => {
  sr = await startRegistry();
  client = new SchemaRegistry({ host: sr.url, auth: sr.credentials('mom') });
});
afterAll(async () => {
  await sr?.close();
});

describe('@kafkajs/confluent-schema-registry against Rabt', () => {
  it('registers the catalogue schema under <topic>-value and finds it again', async () => {
    const { id } = await client.register({ type: SchemaType.AVRO, schema: schemaText }, { subject: `${TYPE}-value` });
    expect(id).toBe(1);
    expect(await client.getLatestSchemaId(`${TYPE}-value`)).toBe(1);
    expect(await client.getRegistryIdBySchema(`${TYPE}-value`, { type: SchemaType.AVRO, schema: schemaText })).toBe(1);
  });

  it.each(fixtures('ok'))('encodes $name in the Confluent wire format and decodes it back unchanged', async ({ data }) => {
    const id = await client.getLatestSchemaId(`${TYPE}-value`);
    const encoded = await client.encode(id, data);
    expect(encoded[0]).toBe(0); // magic byte
    expect(encoded.readUInt32BE(1)).toBe(id); // 4-byte big-endian schema id
    // A second client (empty cache) must fetch the schema by id to decode.
    const fresh = new SchemaRegistry({ host: sr.url, auth: sr.credentials('rop') });
    expect(await fresh.decode(encoded)).toEqual(data);
  });

  it.each(fixtures('not-ok'))('refuses to encode $name', async ({ data }) => {
    const id = await client.getLatestSchemaId(`${TYPE}-value`);
    await expect(client.encode(id, data)).rejects.toThrow();
  });

  it('surfaces the registry error when credentials are wrong', async () => {
    const wrong = new SchemaRegistry({ host: sr.url, auth: { username: 'mom', password: 'nope' } });
    await expect(wrong.getLatestSchemaId(`${TYPE}-value`)).rejects.toThrow(/Unauthorized/);
  });
});
