import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryHarness, startRegistry } from './registry.harness';
import {
  NAMESPACE,
  type SchemaReference,
  expectError,
  expectStatus,
  idField,
  lookup,
  parseSchema,
  record,
  recordNames,
  register,
  registerOk,
  subjectNames,
  subjectPath,
  versionsOf,
} from './registry.helpers';

let sr: RegistryHarness;
const subject = subjectNames('refs');
const recordName = recordNames('Address');

beforeAll(async () => {
  sr = await startRegistry();
});

afterAll(async () => {
  await sr?.close();
});

interface Shared {
  addressSubject: string;
  addressId: number;
  /** Fully qualified Avro name of the referenced record, which is also the reference name. */
  fullName: string;
  ref: SchemaReference;
}

/** Registers a shared Address record in its own subject, the way Confluent's docs register a referenced type. */
async function sharedAddress(): Promise<Shared> {
  const name = recordName();
  const addressSubject = subject('address');
  const addressId = await registerOk(sr, addressSubject, record(name, [{ name: 'street', type: 'string' }, { name: 'city', type: 'string' }]));
  const fullName = `${NAMESPACE}.${name}`;
  return { addressSubject, addressId, fullName, ref: { name: fullName, subject: addressSubject, version: 1 } };
}

/** A record that uses the referenced type by its full name. */
function person(fullName: string, extra: { name: string; type: unknown; default?: unknown }[] = []) {
  return record('Person', [idField, { name: 'home', type: fullName }, ...extra]);
}

describe('registering a schema with references', () => {
  it('registers and serves the references on the version and by id', async () => {
    const { fullName, ref } = await sharedAddress();
    const s = subject('person');
    const schema = person(fullName);
    const id = await registerOk(sr, s, schema, { references: [ref] });

    const version = await sr.request('GET', `${subjectPath(s)}/versions/1`);
    expectStatus(version, 200);
    expect(version.body).toMatchObject({ subject: s, version: 1, id, references: [ref] });
    expect(parseSchema(version.body.schema)).toEqual(schema);

    const byId = await sr.request('GET', `/schemas/ids/${id}`);
    expectStatus(byId, 200);
    expect(byId.body).toMatchObject({ references: [ref] });
    expect(parseSchema(byId.body.schema)).toEqual(schema);
  });

  it('answers 42201 when the schema uses a type that no reference provides', async () => {
    const { fullName } = await sharedAddress();
    const s = subject('unresolved');
    expectError(await register(sr, s, person(fullName)), 422, 42201);
    expectError(await sr.request('GET', `${subjectPath(s)}/versions`), 404, 40401);
  });

  it('answers 42201 when a reference points at a subject or version that does not exist', async () => {
    const { fullName, addressSubject } = await sharedAddress();
    const missingSubject = await register(sr, subject('bad-subject'), person(fullName), {
      references: [{ name: fullName, subject: subject('nowhere'), version: 1 }],
    });
    expectError(missingSubject, 422, 42201);
    const missingVersion = await register(sr, subject('bad-version'), person(fullName), {
      references: [{ name: fullName, subject: addressSubject, version: 42 }],
    });
    expectError(missingVersion, 422, 42201);
  });

  it('reuses the id for the same schema and references under another subject', async () => {
    const { fullName, ref } = await sharedAddress();
    const id = await registerOk(sr, subject('same-a'), person(fullName), { references: [ref] });
    expect(await registerOk(sr, subject('same-b'), person(fullName), { references: [ref] })).toBe(id);
  });

  it('re-registering with the same references adds no version, and lookup with the references finds it', async () => {
    const { fullName, ref } = await sharedAddress();
    const s = subject('rereg');
    const id = await registerOk(sr, s, person(fullName), { references: [ref] });
    expect(await registerOk(sr, s, person(fullName), { references: [ref] })).toBe(id);
    expect(await versionsOf(sr, s)).toEqual([1]);

    const found = await lookup(sr, s, person(fullName), '', { references: [ref] });
    expectStatus(found, 200);
    expect(found.body).toMatchObject({ subject: s, id, version: 1 });
  });

  it('evolves a referencing schema under the compatibility rules', async () => {
    const { fullName, ref } = await sharedAddress();
    const s = subject('evolve');
    await registerOk(sr, s, person(fullName), { references: [ref] });
    await registerOk(sr, s, person(fullName, [{ name: 'nickname', type: ['null', 'string'], default: null }]), { references: [ref] });
    const required = await register(sr, s, person(fullName, [{ name: 'age', type: 'int' }]), { references: [ref] });
    expectError(required, 409, 409);
    expect(await versionsOf(sr, s)).toEqual([1, 2]);
  });
});

describe('GET /subjects/{subject}/versions/{version}/referencedby', () => {
  it('lists the ids of the schemas that reference the version', async () => {
    const { addressSubject, fullName, ref } = await sharedAddress();
    const first = await registerOk(sr, subject('by-a'), person(fullName), { references: [ref] });
    const second = await registerOk(sr, subject('by-b'), person(fullName, [{ name: 'email', type: 'string', default: '' }]), { references: [ref] });

    const res = await sr.request('GET', `${subjectPath(addressSubject)}/versions/1/referencedby`);
    expectStatus(res, 200);
    expect([...(res.body as number[])].sort((a, b) => a - b)).toEqual([first, second].sort((a, b) => a - b));
    expect((await sr.request('GET', `${subjectPath(addressSubject)}/versions/latest/referencedby`)).body).toHaveLength(2);
  });

  it('answers an empty list for a version nobody references', async () => {
    const { addressSubject } = await sharedAddress();
    const res = await sr.request('GET', `${subjectPath(addressSubject)}/versions/1/referencedby`);
    expectStatus(res, 200);
    expect(res.body).toEqual([]);
  });

  it('answers 40401 for an unknown subject and 40402 for an unknown version', async () => {
    const { addressSubject } = await sharedAddress();
    expectError(await sr.request('GET', `${subjectPath(subject('nobody'))}/versions/1/referencedby`), 404, 40401);
    expectError(await sr.request('GET', `${subjectPath(addressSubject)}/versions/3/referencedby`), 404, 40402);
  });
});

describe('deleting referenced schemas', () => {
  it('refuses to delete a referenced version or subject with 42206', async () => {
    const { addressSubject, addressId, fullName, ref } = await sharedAddress();
    await registerOk(sr, subject('holder'), person(fullName), { references: [ref] });

    expectError(await sr.request('DELETE', `${subjectPath(addressSubject)}/versions/1`), 422, 42206);
    expectError(await sr.request('DELETE', subjectPath(addressSubject)), 422, 42206);
    expect(await versionsOf(sr, addressSubject)).toEqual([1]);
    expectStatus(await sr.request('GET', `/schemas/ids/${addressId}`), 200);
  });

  it('allows deleting the referenced version once the referencing schema is permanently deleted', async () => {
    const { addressSubject, fullName, ref } = await sharedAddress();
    const holder = subject('holder-gone');
    await registerOk(sr, holder, person(fullName, [{ name: 'tag', type: 'string', default: 'x' }]), { references: [ref] });
    expectStatus(await sr.request('DELETE', subjectPath(holder)), 200);
    expectStatus(await sr.request('DELETE', `${subjectPath(holder)}?permanent=true`), 200);

    expect((await sr.request('GET', `${subjectPath(addressSubject)}/versions/1/referencedby`)).body).toEqual([]);
    const res = await sr.request('DELETE', `${subjectPath(addressSubject)}/versions/1`);
    expectStatus(res, 200);
    expect(res.body).toBe(1);
  });

  it('allows deleting the referencing schema itself', async () => {
    const { fullName, ref } = await sharedAddress();
    const holder = subject('holder-self');
    await registerOk(sr, holder, person(fullName, [{ name: 'alias', type: 'string', default: '' }]), { references: [ref] });
    const res = await sr.request('DELETE', `${subjectPath(holder)}/versions/1`);
    expectStatus(res, 200);
    expect(res.body).toBe(1);
  });
});
