import { describe, expect, it } from 'vitest';
import type { AuditAction } from './audit-record';
import { auditInsert } from './audit-records';

describe('auditInsert', () => {
  it('writes any number of records with five array parameters, numbered from where the caller says', () => {
    const { sql, params } = auditInsert(
      [
        { actor: 'service:dispatcher', action: 'delivery.attempted', subject: 'delivery:msg_a', details: { status: 200 } },
        { actor: 'operator:alice', action: 'dead-letter.discarded', subject: 'dead-letter:1', reason: 'duplicate' },
      ],
      13,
    );
    expect(sql).toContain('unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::jsonb[])');
    expect(params).toEqual([
      ['service:dispatcher', 'operator:alice'],
      ['delivery.attempted', 'dead-letter.discarded'],
      ['delivery:msg_a', 'dead-letter:1'],
      [null, 'duplicate'],
      ['{"status":200}', '{}'],
    ]);
  });

  it('with `only`, keeps record i only when its key is among what the caller\'s subquery answers', () => {
    const records = [
      { actor: 'service:dispatcher', action: 'event.routed' as const, subject: 'event:mom/1' },
      { actor: 'service:dispatcher', action: 'event.routed' as const, subject: 'event:mom/2' },
    ];
    const { sql, params } = auditInsert(records, 3, { keys: ['msg_1', 'msg_2'], kept: 'SELECT id FROM inserted' });
    expect(sql).toContain('unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[])');
    expect(sql).toContain('WHERE a.key IN (SELECT id FROM inserted)');
    expect(params).toHaveLength(6);
    expect(params[5]).toEqual(['msg_1', 'msg_2']);
    expect(() => auditInsert(records, 1, { keys: ['msg_1'], kept: 'SELECT 1' })).toThrow(/2 records but 1 keys/);
  });

  it('refuses an unknown action, an empty actor or subject', () => {
    expect(() => auditInsert([{ actor: 'a', action: 'event.deleted' as AuditAction, subject: 's' }])).toThrow(/unknown action/);
    expect(() => auditInsert([{ actor: '', action: 'event.routed', subject: 's' }])).toThrow(/actor/);
    expect(() => auditInsert([{ actor: 'a', action: 'event.routed', subject: '' }])).toThrow(/subject/);
  });
});
