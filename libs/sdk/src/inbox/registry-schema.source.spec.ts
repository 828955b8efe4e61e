import * as avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { InboxDecodeError } from './inbox.decoder';
import { RegistrySchemaSource, SchemaRegistryError } from './registry-schema.source';

const SCHEMA = { type: 'record', name: 'Probe', fields: [{ name: 'civil', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }] };
const TYPE = avro.Type.forSchema(SCHEMA as avro.Schema);

function registry(...answers: (Response | Error)[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), headers: init?.headers as Record<string, string> });
    const answer = answers.shift();
    if (!answer) throw new Error('no scripted answer left');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof globalThis.fetch;
  return { source: new RegistrySchemaSource({ url: 'http://registry.example/', agency: 'rop', apiKey: 'rabt_rop_key', fetch }), calls };
}

const found = (body: Record<string, unknown>) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });

describe('RegistrySchemaSource', () => {
  it('GETs /schemas/ids/{id} with HTTP Basic agency:apiKey and decodes with the schema', async () => {
    const { source, calls } = registry(found({ schema: JSON.stringify(SCHEMA) }));
    const decoder = await source.schemaById(42);
    expect(calls).toEqual([{ url: 'http://registry.example/schemas/ids/42', headers: expect.objectContaining({ Authorization: `Basic ${Buffer.from('rop:rabt_rop_key').toString('base64')}` }) }]);
    expect(decoder.decode(new Uint8Array(TYPE.toBuffer({ civil: '118364205', note: 'x' })))).toEqual({ civil: '118364205', note: 'x' });
  });

  it('fetches each id once, also for concurrent callers', async () => {
    const { source, calls } = registry(found({ schema: JSON.stringify(SCHEMA), schemaType: 'AVRO' }));
    const [a, b] = await Promise.all([source.schemaById(7), source.schemaById(7)]);
    expect(a).toBe(b);
    expect(await source.schemaById(7)).toBe(a);
    expect(calls).toHaveLength(1);
  });

  it('does not keep a failure: an unreachable registry is a SchemaRegistryError, and the next call asks again', async () => {
    const { source, calls } = registry(new TypeError('fetch failed'), new Response('{"error_code":50001,"message":"boom"}', { status: 500 }), found({ schema: JSON.stringify(SCHEMA) }));
    await expect(source.schemaById(7)).rejects.toBeInstanceOf(SchemaRegistryError);
    await expect(source.schemaById(7)).rejects.toMatchObject({ name: 'SchemaRegistryError', status: 500 });
    await expect(source.schemaById(7)).resolves.toBeDefined();
    expect(calls).toHaveLength(3);
  });

  it('an id the registry does not know, or a non-Avro schema, will never decode (InboxDecodeError)', async () => {
    const { source } = registry(new Response('{"error_code":40403,"message":"Schema not found"}', { status: 404 }), found({ schema: '{}', schemaType: 'PROTOBUF' }));
    await expect(source.schemaById(404)).rejects.toBeInstanceOf(InboxDecodeError);
    await expect(source.schemaById(5)).rejects.toThrow(/PROTOBUF, not Avro/);
  });
});
