import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Principal, type RegistryHarness, type RegistryResponse, startRegistry } from './registry.harness';
import {
  expectError,
  expectStatus,
  idField,
  lookup,
  record,
  recordNames,
  register,
  registerBody,
  registerOk,
  setCompatibility,
  setMode,
  subjectNames,
  subjectPath,
  versionsOf,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('access');
const recordName = recordNames('AccessRec');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

const schema = () => record(recordName(), [idField]);

function expectUnauthenticated(res: RegistryResponse): void {
  expectError(res, 401, 401);
}

function expectForbidden(res: RegistryResponse): void {
  expectError(res, 403, 40301);
}

describe('authentication', () => {
  const unauthenticated: Principal[] = ['anonymous', 'bad-password'];

  it.each(unauthenticated)('answers 401 {error_code: 401, message} to %s reads', async (as) => {
    const s = subject('read-401');
    const id = await registerOk(sr, s, schema());
    for (const path of ['/subjects', `${subjectPath(s)}/versions`, `${subjectPath(s)}/versions/latest`, `/schemas/ids/${id}`, '/config', '/mode']) {
      expectUnauthenticated(await sr.request('GET', path, { as }));
    }
  });

  it.each(unauthenticated)('answers 401 to %s writes and changes nothing', async (as) => {
    const s = subject('write-401');
    await registerOk(sr, s, schema());
    expectUnauthenticated(await register(sr, s, schema(), { as }));
    expectUnauthenticated(await register(sr, subject('write-401-new'), schema(), { as }));
    expectUnauthenticated(await sr.request('DELETE', subjectPath(s), { as }));
    expectUnauthenticated(await sr.request('PUT', '/config', { body: { compatibility: 'NONE' }, as }));
    expectUnauthenticated(await sr.request('PUT', '/mode', { body: { mode: 'READONLY' }, as }));
    expect(await versionsOf(sr, s)).toEqual([1]);
    expect((await sr.request('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
  });

  it('authenticates before resolving the resource: an unknown subject is 401, not 404', async () => {
    expectUnauthenticated(await sr.request('GET', `${subjectPath(subject('ghost'))}/versions`, { as: 'anonymous' }));
    expectUnauthenticated(await sr.request('GET', '/schemas/ids/424242', { as: 'bad-password' }));
  });
});

describe('reading', () => {
  it.each<Principal>(['mom', 'rop', 'integrator', 'admin'])('%s can read any subject and schema', async (as) => {
    const s = subject('readable');
    const body = schema();
    const id = await registerOk(sr, s, body, { as: 'mom' });

    const list = await sr.request('GET', '/subjects', { as });
    expectStatus(list, 200);
    expect(list.body).toContain(s);
    expect((await sr.request('GET', `${subjectPath(s)}/versions`, { as })).body).toEqual([1]);
    expect((await sr.request('GET', `${subjectPath(s)}/versions/latest`, { as })).body).toMatchObject({ subject: s, id, version: 1 });
    expectStatus(await sr.request('GET', `/schemas/ids/${id}`, { as }), 200);
    expect((await lookup(sr, s, body, '', { as })).body).toMatchObject({ subject: s, id, version: 1 });
    expect((await sr.request('GET', '/config', { as })).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await sr.request('GET', '/mode', { as })).body).toEqual({ mode: 'READWRITE' });
    expectStatus(await sr.request('GET', '/schemas/types', { as }), 200);
  });
});

describe('writing subjects', () => {
  it('an agency registers under its own prefix', async () => {
    await registerOk(sr, subject('own', 'mom'), schema(), { as: 'mom' });
    await registerOk(sr, subject('own', 'rop'), schema(), { as: 'rop' });
  });

  it('rop registering under a mom. subject gets 403 {error_code: 40301} and nothing is registered', async () => {
    const s = subject('foreign', 'mom');
    expectForbidden(await register(sr, s, schema(), { as: 'rop' }));
    expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);

    // Also for an existing mom. subject.
    const existing = subject('foreign-existing', 'mom');
    await registerOk(sr, existing, schema(), { as: 'mom' });
    expectForbidden(await register(sr, existing, schema(), { as: 'rop' }));
    expect(await versionsOf(sr, existing)).toEqual([1]);
  });

  it('mom cannot register under rop., unprefixed or look-alike subjects', async () => {
    for (const s of [subject('foreign', 'rop'), 'access-unprefixed-value', 'moment.access-lookalike-value', 'MOM.access-upper-value']) {
      const res = await sr.request('POST', `${subjectPath(s)}/versions`, { body: registerBody(schema()), as: 'mom' });
      expectForbidden(res);
    }
  });

  it('the platform (operator agency keys with a role) registers under any subject', async () => {
    for (const as of ['platform', 'admin'] as const) {
      await registerOk(sr, subject(`any-${as}`, 'mom'), schema(), { as });
      await registerOk(sr, subject(`any-${as}`, 'rop'), schema(), { as });
      await registerOk(sr, `shared.access-any-${as}-value`, schema(), { as });
      await registerOk(sr, `rabt.access-any-${as}-value`, schema(), { as });
    }
  });

  it.each<Principal>(['integrator', 'mom-admin'])('roles on an ordinary agency (%s) give no write outside its own subjects', async (as) => {
    const own = as === 'integrator' ? 'moh' : 'mom';
    await registerOk(sr, subject('roles-own', own), schema(), { as });
    const foreign = subject('roles-foreign', own === 'mom' ? 'rop' : 'mom');
    await registerOk(sr, foreign, schema(), { as: 'admin' });
    for (const s of [subject('roles-new', own === 'mom' ? 'rop' : 'mom'), 'shared.access-roles-value', `rabt.access-roles-${as}-value`]) {
      expectForbidden(await register(sr, s, schema(), { as }));
      expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
    }
    expectForbidden(await register(sr, foreign, schema(), { as }));
    expectForbidden(await sr.request('DELETE', subjectPath(foreign), { as }));
    expectForbidden(await sr.request('PUT', `/config/${encodeURIComponent(foreign)}`, { body: { compatibility: 'NONE' }, as }));
    expectForbidden(await sr.request('PUT', `/mode/${encodeURIComponent(foreign)}`, { body: { mode: 'READONLY' }, as }));
    expect(await versionsOf(sr, foreign)).toEqual([1]);
  });

  it('rop cannot delete a mom. subject or version; mom can', async () => {
    const s = subject('delete', 'mom');
    await registerOk(sr, s, schema(), { as: 'mom' });
    expectForbidden(await sr.request('DELETE', `${subjectPath(s)}/versions/1`, { as: 'rop' }));
    expectForbidden(await sr.request('DELETE', subjectPath(s), { as: 'rop' }));
    expect(await versionsOf(sr, s)).toEqual([1]);

    const res = await sr.request('DELETE', subjectPath(s), { as: 'mom' });
    expectStatus(res, 200);
    expect(res.body).toEqual([1]);
  });

  it('subject-level config and mode follow the subject prefix', async () => {
    const s = subject('subject-config', 'mom');
    await registerOk(sr, s, schema(), { as: 'mom' });
    const path = `/config/${encodeURIComponent(s)}`;
    expectForbidden(await sr.request('PUT', path, { body: { compatibility: 'NONE' }, as: 'rop' }));
    expectError(await sr.request('GET', path), 404, 40408);
    expectForbidden(await sr.request('PUT', `/mode/${encodeURIComponent(s)}`, { body: { mode: 'READONLY' }, as: 'rop' }));
    expectError(await sr.request('GET', `/mode/${encodeURIComponent(s)}`), 404, 40409);

    const own = await sr.request('PUT', path, { body: { compatibility: 'FULL' }, as: 'mom' });
    expectStatus(own, 200);
    expect(own.body).toEqual({ compatibility: 'FULL' });
  });
});

describe('global config and mode', () => {
  it.each<Principal>(['mom', 'rop', 'integrator', 'mom-admin'])('%s cannot change the global compatibility or mode', async (as) => {
    expectForbidden(await sr.request('PUT', '/config', { body: { compatibility: 'NONE' }, as }));
    expectForbidden(await sr.request('DELETE', '/config', { as }));
    expectForbidden(await sr.request('PUT', '/mode', { body: { mode: 'READONLY' }, as }));
    expect((await sr.request('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await sr.request('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
  });

  it.each<Principal>(['platform', 'admin'])('%s can change the global compatibility and mode', async (as) => {
    try {
      const config = await sr.request('PUT', '/config', { body: { compatibility: 'FULL' }, as });
      expectStatus(config, 200);
      expect(config.body).toEqual({ compatibility: 'FULL' });
      const mode = await sr.request('PUT', '/mode', { body: { mode: 'READONLY' }, as });
      expectStatus(mode, 200);
      expect(mode.body).toEqual({ mode: 'READONLY' });
      const back = await sr.request('PUT', '/mode', { body: { mode: 'READWRITE' }, as });
      expectStatus(back, 200);
    } finally {
      await setMode(sr, 'READWRITE');
      await setCompatibility(sr, 'BACKWARD');
    }
  });
});

describe('platform subjects', () => {
  // Projected inbox schemas (docs/routing.md) and the operator's own types live under `rabt.`.
  const platformSubjects = () => [`rabt.inbox.rop.mom.employee.left-work-reported.${recordName().toLowerCase()}-value`, `rabt.access-${recordName().toLowerCase()}-value`];
  const outsiders: Principal[] = ['mom', 'rop', 'integrator', 'mom-admin'];

  it.each(outsiders)('%s can neither register, delete, configure nor set the mode of a rabt. subject', async (as) => {
    for (const s of platformSubjects()) {
      expectForbidden(await register(sr, s, schema(), { as }));
      expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
      await registerOk(sr, s, schema(), { as: 'platform' });
      const path = encodeURIComponent(s);
      expectForbidden(await register(sr, s, schema(), { as }));
      expectForbidden(await sr.request('DELETE', `${subjectPath(s)}/versions/1`, { as }));
      expectForbidden(await sr.request('DELETE', subjectPath(s), { as }));
      expectForbidden(await sr.request('PUT', `/config/${path}`, { body: { compatibility: 'NONE' }, as }));
      expectForbidden(await sr.request('DELETE', `/config/${path}`, { as }));
      expectForbidden(await sr.request('PUT', `/mode/${path}`, { body: { mode: 'READONLY' }, as }));
      expectForbidden(await sr.request('DELETE', `/mode/${path}`, { as }));
      expect(await versionsOf(sr, s)).toEqual([1]);
      expectError(await sr.request('GET', `/config/${path}`), 404, 40408);
      expectError(await sr.request('GET', `/mode/${path}`), 404, 40409);
    }
  });

  it('an agency whose code is `rabt` gets no platform subjects', async () => {
    const impostor = await sr.issue('rabt', ['integrator']);
    for (const s of platformSubjects()) {
      expectForbidden(await register(sr, s, schema(), { as: impostor }));
      expectForbidden(await sr.request('PUT', `/mode/${encodeURIComponent(s)}`, { body: { mode: 'READONLY' }, as: impostor }));
      expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
    }
  });

  it('the platform service key writes them, and sets their config and mode', async () => {
    const [s] = platformSubjects();
    await registerOk(sr, s!, schema(), { as: 'platform' });
    const path = encodeURIComponent(s!);
    expectStatus(await sr.request('PUT', `/config/${path}`, { body: { compatibility: 'NONE' }, as: 'platform' }), 200);
    expectStatus(await sr.request('PUT', `/mode/${path}`, { body: { mode: 'READONLY' }, as: 'platform' }), 200);
    expectStatus(await sr.request('DELETE', `/mode/${path}`, { as: 'platform' }), 200);
  });
});

describe('references', () => {
  it("an agency may not reference another agency's subject (which would pin it against deletion)", async () => {
    const address = subject('ref-target', 'rop');
    const addressName = recordName();
    await registerOk(sr, address, record(addressName, [{ name: 'street', type: 'string' }]), { as: 'rop' });
    const fullName = `gov.rabt.test.${addressName}`;
    const referencing = (owner: string) => ({ s: subject('ref-source', owner), body: record(recordName(), [{ name: 'home', type: fullName }]) });
    const references = [{ name: fullName, subject: address, version: 1 }];

    const mom = referencing('mom');
    expectForbidden(await register(sr, mom.s, mom.body, { as: 'mom', references }));
    expectError(await sr.request('GET', `${subjectPath(mom.s)}/versions`), 404, 40401);
    // rop may still delete its version: nothing references it.
    const deleted = await sr.request('DELETE', `${subjectPath(address)}/versions/1`, { as: 'rop' });
    expectStatus(deleted, 200);
  });

  it('an agency may reference its own subjects, and the platform any subject', async () => {
    const address = subject('ref-own', 'mom');
    const addressName = recordName();
    await registerOk(sr, address, record(addressName, [{ name: 'street', type: 'string' }]), { as: 'mom' });
    const fullName = `gov.rabt.test.${addressName}`;
    const references = [{ name: fullName, subject: address, version: 1 }];
    await registerOk(sr, subject('ref-own-source', 'mom'), record(recordName(), [{ name: 'home', type: fullName }]), { as: 'mom', references });
    await registerOk(sr, `rabt.access-ref-${recordName().toLowerCase()}-value`, record(recordName(), [{ name: 'home', type: fullName }]), { as: 'platform', references });
  });
});
