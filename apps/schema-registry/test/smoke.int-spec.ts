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

  it('a new version and a config change are audited, by the agency that asked; registering the same schema again is not', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'B', fields: [{ name: 'x', type: 'string' }] });
    expect((await sr.request('POST', '/subjects/mom.b-value/versions', { body: { schema }, as: 'mom' })).status).toBe(200);
    expect((await sr.request('POST', '/subjects/mom.b-value/versions', { body: { schema }, as: 'mom' })).status).toBe(200);
    expect((await sr.request('PUT', '/config/mom.b-value', { body: { compatibility: 'FULL' }, as: 'mom' })).status).toBe(200);
    expect((await sr.request('DELETE', '/subjects/mom.b-value/versions/1', { as: 'mom' })).status).toBe(200);
    const audited = (await sr.audited()).filter((a) => a.subject.includes('mom.b-value'));
    expect(audited).toEqual([
      { actor: 'agency:mom', action: 'schema.registered', subject: 'schema:mom.b-value/1', details: expect.objectContaining({ subject: 'mom.b-value', version: 1, imported: false }) },
      { actor: 'agency:mom', action: 'schema.config-changed', subject: 'schema-config:mom.b-value', details: { subject: 'mom.b-value', compatibility: 'FULL' } },
      { actor: 'agency:mom', action: 'schema.deleted', subject: 'schema:mom.b-value/1', details: expect.objectContaining({ version: 1, permanent: false }) },
    ]);
  });
});
