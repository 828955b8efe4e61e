import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditRecordHash, canonicalJson } from './audit-hash';

const record = {
  seq: 1,
  recordedAt: '2026-11-30T10:04:40.123456Z',
  actor: 'agency:mom',
  action: 'event.published',
  subject: 'event:urn:rabt:agency:mom/e-1',
  reason: null,
  details: { type: 'mom.employee.left-work-reported', topic: 'mom.employee.left-work-reported' },
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    expect(canonicalJson({ x: 1, y: 2, nested: { p: 1, q: 2 } })).toBe(canonicalJson({ nested: { q: 2, p: 1 }, y: 2, x: 1 }));
  });

  it('writes strings and numbers the way JSON.stringify does (RFC 8785 for jsonb values)', () => {
    expect(canonicalJson({ s: 'مرحبا "q" \n', n: 1.5, e: 1e21, neg: -0.000001 })).toBe('{"e":1e+21,"n":1.5,"neg":-0.000001,"s":"مرحبا \\"q\\" \\n"}');
  });

  it('leaves out undefined members as JSON does, and refuses a value with no JSON form', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(() => canonicalJson(() => 1)).toThrow(/no JSON form/);
  });
});

describe('auditRecordHash', () => {
  it('is sha256 of the previous hash followed by the canonical record', () => {
    const canonical =
      '{"action":"event.published","actor":"agency:mom","details":{"topic":"mom.employee.left-work-reported","type":"mom.employee.left-work-reported"},"reason":null,"recordedAt":"2026-11-30T10:04:40.123456Z","seq":1,"subject":"event:urn:rabt:agency:mom/e-1"}';
    expect(auditRecordHash(GENESIS_HASH, record)).toBe(createHash('sha256').update(GENESIS_HASH + canonical).digest('hex'));
  });

  it('changes when any hashed field, the seq, the time or the previous hash changes', () => {
    const base = auditRecordHash(GENESIS_HASH, record);
    const variants = [
      { ...record, seq: 2 },
      { ...record, recordedAt: '2026-11-30T10:04:40.123457Z' },
      { ...record, actor: 'agency:rop' },
      { ...record, action: 'event.routed' },
      { ...record, subject: 'event:urn:rabt:agency:mom/e-2' },
      { ...record, reason: '' },
      { ...record, details: { ...record.details, extra: 1 } },
    ];
    for (const v of variants) expect(auditRecordHash(GENESIS_HASH, v)).not.toBe(base);
    expect(auditRecordHash('f'.repeat(64), record)).not.toBe(base);
  });

  it('ignores the order of the details keys (jsonb does not keep it)', () => {
    expect(auditRecordHash(GENESIS_HASH, { ...record, details: { topic: record.details.topic, type: record.details.type } })).toBe(auditRecordHash(GENESIS_HASH, record));
  });
});
