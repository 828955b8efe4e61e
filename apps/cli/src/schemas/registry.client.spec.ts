import { describe, expect, it } from 'vitest';
import { CliException, CliExceptionCode, ExitCode } from '../cli/cli.exception';
import { fakeFetch } from '../testing/cli-test.helpers';
import { reasonsOf } from './compatibility-reasons';
import { REGISTRY_CONTENT_TYPE, RegistryClient, registryClientFrom } from './registry.client';

const SUBJECT = 'mom.work-permit.suspended-value';
const COMPAT = `POST /compatibility/subjects/${SUBJECT}/versions/latest?verbose=true`;
const client = (f: typeof fetch) => new RegistryClient('http://registry.test', { agency: 'ita', apiKey: 'rabt_key' }, f);

describe('the registry client', () => {
  it('sends HTTP Basic agency:key and the Confluent content type, with the schema text as given', async () => {
    const fake = fakeFetch({ [COMPAT]: [200, { is_compatible: true, messages: [] }] });
    expect(await client(fake.impl).testCompatibility(SUBJECT, '"string"')).toEqual({ kind: 'compatible' });
    const [request] = fake.requests;
    expect(request!.headers['Authorization']).toBe(`Basic ${Buffer.from('ita:rabt_key').toString('base64')}`);
    expect(request!.headers['Content-Type']).toBe(REGISTRY_CONTENT_TYPE);
    expect(request!.body).toEqual({ schema: '"string"' });
  });

  it('treats an unknown subject (40401) as new', async () => {
    const fake = fakeFetch({ [COMPAT]: [404, { error_code: 40401, message: `Subject '${SUBJECT}' not found.` }] });
    expect(await client(fake.impl).testCompatibility(SUBJECT, '"string"')).toEqual({ kind: 'new-subject' });
  });

  it('returns the reasons of an incompatible schema', async () => {
    const messages = ["{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field \\'x\\' at path \\'/fields/1\\' in the new schema has no default value', additionalInfo:'x'}", '{oldSchemaVersion: 1}', "{oldSchema: '{...}'}", "{compatibility: 'BACKWARD'}"];
    const fake = fakeFetch({ [COMPAT]: [200, { is_compatible: false, messages }] });
    const answer = await client(fake.impl).testCompatibility(SUBJECT, '"string"');
    expect(answer).toEqual({ kind: 'incompatible', reasons: [messages[0], messages[3]] });
  });

  it('returns the reasons of a registration refused with 409', async () => {
    const message = `Schema being registered is incompatible with an earlier schema for subject "${SUBJECT}", details: [{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}, {oldSchemaVersion: 1}, {oldSchema: '{}'}, {compatibility: 'FULL'}]`;
    const fake = fakeFetch({ [`POST /subjects/${SUBJECT}/versions`]: [409, { error_code: 409, message }] });
    const answer = await client(fake.impl).register(SUBJECT, '"int"');
    expect(answer.kind).toBe('refused');
    expect(answer.kind === 'refused' && answer.reasons).toEqual([
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
      "{compatibility: 'FULL'}",
    ]);
  });

  it('reports rejected credentials (exit 2), an unreachable registry and server errors (exit 3)', async () => {
    const rejected = client(fakeFetch({ [COMPAT]: [401, { error_code: 401, message: 'Unauthorized' }] }).impl).testCompatibility(SUBJECT, '"string"');
    await expect(rejected).rejects.toMatchObject({ code: CliExceptionCode.REGISTRY_REJECTED_CREDENTIALS, exitCode: ExitCode.USAGE });
    const down = client(fakeFetch({ 'POST *': new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }) }).impl);
    await expect(down.testCompatibility(SUBJECT, '"string"')).rejects.toThrow('schema registry http://registry.test is unreachable: ECONNREFUSED');
    await expect(down.register(SUBJECT, '"string"')).rejects.toMatchObject({ exitCode: ExitCode.REGISTRY_UNREACHABLE });
    const failing = client(fakeFetch({ 'POST *': [500, { error_code: 50001, message: 'store error' }] }).impl);
    await expect(failing.register(SUBJECT, '"string"')).rejects.toMatchObject({ exitCode: ExitCode.REGISTRY_UNREACHABLE });
  });

  it('needs an agency and a key', () => {
    expect(() => registryClientFrom({ registryUrl: 'http://x', agency: 'ita', apiKey: undefined })).toThrow(CliException);
    expect(registryClientFrom({ registryUrl: 'http://x', agency: 'ita', apiKey: 'k' }).baseUrl).toBe('http://x');
  });

  it('keeps messages that are not Confluent incompatibilities as they are', () => {
    expect(reasonsOf(['Subject is read-only'])).toEqual(['Subject is read-only']);
    expect(reasonsOf(undefined)).toEqual([]);
  });
});
