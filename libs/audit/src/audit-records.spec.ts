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

  it('refuses an unknown action, an empty actor or subject', () => {
    expect(() => auditInsert([{ actor: 'a', action: 'event.deleted' as AuditAction, subject: 's' }])).toThrow(/unknown action/);
    expect(() => auditInsert([{ actor: '', action: 'event.routed', subject: 's' }])).toThrow(/actor/);
    expect(() => auditInsert([{ actor: 'a', action: 'event.routed', subject: '' }])).toThrow(/subject/);
  });
});
