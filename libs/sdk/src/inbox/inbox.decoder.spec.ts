import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { catalogueEntry, type EventData } from '@rabt/contracts';
import { decodeInboxRecord, InboxDecodeError, InboxDecodeReason, readConfluentFrame, type InboxRecordInput, type SchemaSource } from './inbox.decoder';
import { avroDecoder } from './registry-schema.source';

const REPORTED = 'mom.employee.left-work-reported';
const FIXTURE = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', REPORTED, 'ok', 'absconded-seeb.json');
const DATA = JSON.parse(readFileSync(FIXTURE, 'utf8')) as EventData<typeof REPORTED>;
const TYPE = avro.Type.forSchema(catalogueEntry(REPORTED).schema as unknown as avro.Schema);
const SCHEMA_ID = 0x01020304; // every byte of the big-endian id differs, so a wrong byte order shows

/** Confluent wire format, built by hand: magic byte 0, 4-byte big-endian id, Avro body. */
function frame(id: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0, (id >>> 24) & 0xff, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff]), body]);
}

/** The record as kafkajs hands it over: Buffers for headers, key and value. */
function record(overrides: Partial<InboxRecordInput> = {}): InboxRecordInput {
  return {
    key: Buffer.from(DATA.workerCivilNumber),
    value: frame(SCHEMA_ID, TYPE.toBuffer(DATA)),
    headers: {
      ce_specversion: Buffer.from('1.0'),
      ce_id: Buffer.from('mom-report-2026-000123'),
      ce_source: Buffer.from('urn:rabt:agency:mom'),
      ce_type: Buffer.from(REPORTED),
      ce_time: Buffer.from('2026-03-01T08:00:00.000Z'),
      ce_transactionid: Buffer.from('3f2a7c1e-0000-4000-8000-000000000001'),
      ce_partitionkey: Buffer.from(DATA.workerCivilNumber),
      ce_subject: 'LWR-2025-0048173', // a string header, as some clients give them
      'content-type': Buffer.from('application/avro'),
      traceparent: undefined,
    },
    ...overrides,
  };
}

/** A schema source that knows one id, and records what was asked. */
function oneSchema(id = SCHEMA_ID) {
  const asked: number[] = [];
  const source: SchemaSource = {
    schemaById: async (wanted) => {
      asked.push(wanted);
      if (wanted !== id) throw new Error(`unknown schema ${wanted}`);
      return avroDecoder(TYPE);
    },
  };
  return { source, asked };
}

async function reason(promise: Promise<unknown>): Promise<InboxDecodeReason> {
  const error = await promise.then(
    () => expect.fail('decoded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InboxDecodeError);
  return (error as InboxDecodeError).reason;
}

describe('readConfluentFrame', () => {
  it('reads the big-endian schema id and the body after the 5-byte header, also from a view into a larger buffer', () => {
    const bytes = frame(SCHEMA_ID, Buffer.from([7, 8, 9]));
    const padded = new Uint8Array(bytes.length + 6);
    padded.set(bytes, 3);
    const view = padded.subarray(3, 3 + bytes.length);
    expect(readConfluentFrame(view)).toEqual({ schemaId: 16_909_060, body: new Uint8Array([7, 8, 9]) });
    expect(readConfluentFrame(frame(258, Buffer.alloc(0))).schemaId).toBe(258);
  });

  it('refuses a value without magic byte 0 or shorter than the header', () => {
    expect(() => readConfluentFrame(Buffer.from([1, 0, 0, 0, 1, 2]))).toThrow(/magic byte is 1/);
    expect(() => readConfluentFrame(Buffer.from([0, 0, 0]))).toThrow(InboxDecodeError);
  });
});

describe('decodeInboxRecord', () => {
  it('returns the attributes from ce_ headers, the data decoded with the writer schema, the key and the schema id', async () => {
    const { source, asked } = oneSchema();
    const event = await decodeInboxRecord(record(), source);
    expect(asked).toEqual([SCHEMA_ID]);
    expect(event.attributes).toEqual({
      specversion: '1.0',
      id: 'mom-report-2026-000123',
      source: 'urn:rabt:agency:mom',
      type: REPORTED,
      time: '2026-03-01T08:00:00.000Z',
      transactionid: '3f2a7c1e-0000-4000-8000-000000000001',
      partitionkey: DATA.workerCivilNumber,
      subject: 'LWR-2025-0048173',
      datacontenttype: 'application/avro',
    });
    expect(event.type).toBe(REPORTED);
    expect(event.data).toEqual(DATA);
    expect(event.key).toBe('118364205');
    expect(event.schemaId).toBe(SCHEMA_ID);
    expect(event.headers['content-type']).toBe('application/avro');
    if (event.type === REPORTED) expect(event.data.workerName.nameAr).toBe('محمد شهيد الإسلام');
    else expect.fail('type not narrowed');
  });

  it('takes the last value of a repeated header, and accepts a null key', async () => {
    const base = record();
    const event = await decodeInboxRecord({ ...base, key: null, headers: { ...base.headers, ce_id: [Buffer.from('first'), 'second'] } }, oneSchema().source);
    expect(event.attributes.id).toBe('second');
    expect(event.key).toBeNull();
  });

  it('refuses a record that is not a binary-mode CloudEvent (NOT_A_CLOUDEVENT)', async () => {
    const { ce_specversion: _v, ...noVersion } = record().headers!;
    const { ce_type: _t, ...noType } = record().headers!;
    expect(await reason(decodeInboxRecord(record({ headers: noVersion }), oneSchema().source))).toBe(InboxDecodeReason.NOT_A_CLOUDEVENT);
    expect(await reason(decodeInboxRecord(record({ headers: noType }), oneSchema().source))).toBe(InboxDecodeReason.NOT_A_CLOUDEVENT);
    expect(await reason(decodeInboxRecord(record({ headers: undefined }), oneSchema().source))).toBe(InboxDecodeReason.NOT_A_CLOUDEVENT);
  });

  it('refuses a value that is not Confluent-framed, without asking for a schema (NOT_CONFLUENT_FRAMED)', async () => {
    const { source, asked } = oneSchema();
    expect(await reason(decodeInboxRecord(record({ value: Buffer.from(JSON.stringify(DATA)) }), source))).toBe(InboxDecodeReason.NOT_CONFLUENT_FRAMED);
    expect(await reason(decodeInboxRecord(record({ value: null }), source))).toBe(InboxDecodeReason.NOT_CONFLUENT_FRAMED);
    expect(asked).toEqual([]);
  });

  it('refuses a body the writer schema cannot read, or with trailing bytes (UNDECODABLE)', async () => {
    const body = TYPE.toBuffer(DATA);
    expect(await reason(decodeInboxRecord(record({ value: frame(SCHEMA_ID, body.subarray(0, 20)) }), oneSchema().source))).toBe(InboxDecodeReason.UNDECODABLE);
    expect(await reason(decodeInboxRecord(record({ value: frame(SCHEMA_ID, Buffer.concat([body, Buffer.from([1])])) }), oneSchema().source))).toBe(InboxDecodeReason.UNDECODABLE);
  });

  it('lets a schema source failure through unwrapped (a passing fault: retry the record)', async () => {
    const error = await decodeInboxRecord(record({ value: frame(99, TYPE.toBuffer(DATA)) }), oneSchema().source).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(InboxDecodeError);
    expect((error as Error).message).toBe('unknown schema 99');
  });
});
