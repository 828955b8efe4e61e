import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RegistryHarness } from './registry.harness';

let sr: RegistryHarness;
beforeAll(async () => {
  sr = await startRegistry();
});
afterAll(async () => {
  await sr?.close();
});

/** Distinct, mutually compatible versions: each adds an optional field with a default. */
const version = (n: number) =>
  JSON.stringify({
    type: 'record',
    name: 'Evolving',
    fields: [{ name: 'id', type: 'string' }, ...Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'int', default: 0 }))],
  });

describe('concurrent registrations', () => {
  it('twenty different schemas racing into one subject get twenty distinct ids and versions 1..20', async () => {
    const subject = 'mom.race-value';
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => sr.request('POST', `/subjects/${subject}/versions`, { body: { schema: version(n) }, as: 'mom' })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const ids = results.map((r) => r.body.id as number);
    expect(new Set(ids).size).toBe(20);
    const versions = await sr.request('GET', `/subjects/${subject}/versions`);
    expect(versions.body).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let v = 1; v <= 20; v++) {
      const got = await sr.request('GET', `/subjects/${subject}/versions/${v}`);
      expect(ids).toContain(got.body.id);
    }
  });

  it('the same schema racing into one subject and into five subjects yields one id and one version per subject', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'Same', fields: [{ name: 'x', type: 'long' }] });
    const subjects = ['mom.same-a-value', 'mom.same-b-value', 'mom.same-c-value', 'mom.same-d-value', 'mom.same-e-value'];
    const results = await Promise.all(
      subjects.flatMap((s) => Array.from({ length: 4 }, () => sr.request('POST', `/subjects/${s}/versions`, { body: { schema }, as: 'mom' }))),
    );
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    for (const s of subjects) expect((await sr.request('GET', `/subjects/${s}/versions`)).body).toEqual([1]);
  });
});

describe('restart', () => {
  it('keeps subjects, versions, ids and settings across a restart, and continues the id sequence', async () => {
    const subject = 'mom.durable-value';
    const first = await sr.request('POST', `/subjects/${subject}/versions`, { body: { schema: version(0).replace('Evolving', 'Durable') }, as: 'mom' });
    await sr.request('PUT', `/config/${subject}`, { body: { compatibility: 'FULL' }, as: 'mom' });
    await sr.restart();
    expect((await sr.request('GET', `/subjects/${subject}/versions/1`)).body).toMatchObject({ id: first.body.id, version: 1 });
    expect((await sr.request('GET', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'FULL' });
    const next = await sr.request('POST', `/subjects/${subject}/versions`, { body: { schema: version(1).replace('Evolving', 'Durable') }, as: 'mom' });
    expect(next.body.id).toBeGreaterThan(first.body.id);
  });
});
