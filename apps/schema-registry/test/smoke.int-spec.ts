import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RegistryHarness } from './registry.harness';

let sr: RegistryHarness;
beforeAll(async () => {
  sr = await startRegistry();
});
afterAll(async () => {
  await sr?.close();
});

describe('smoke', () => {
  it('registers and reads back', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'A', fields: [{ name: 'x', type: 'string' }] });
    const reg = await sr.request('POST', '/subjects/mom.a-value/versions', { body: { schema }, as: 'mom' });
    expect(reg).toMatchObject({ status: 200, body: { id: 1 } });
    const got = await sr.request('GET', '/subjects/mom.a-value/versions/latest');
    expect(got.body).toMatchObject({ subject: 'mom.a-value', version: 1, id: 1 });
    expect(got.headers['content-type']).toContain('application/vnd.schemaregistry.v1+json');
    expect((await sr.request('GET', '/schemas/ids/1')).body).toEqual({ schema });
  });
});
