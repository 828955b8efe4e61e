import { describe, expect, it } from 'vitest';
import { foldUnchanged, hasChanges, schemaDiff } from './schema.diff';

const v1 = JSON.stringify({ type: 'record', name: 'Left', fields: [{ name: 'a', type: 'string' }] }, null, 2);
const v2 = JSON.stringify({ type: 'record', name: 'Left', fields: [{ name: 'a', type: 'string' }, { name: 'b', type: ['null', 'string'], default: null }] }, null, 2);

describe('schema diff', () => {
  it('marks the added field as added lines and keeps the rest as it was', () => {
    const lines = schemaDiff(v1, v2);
    expect(hasChanges(lines)).toBe(true);
    const added = lines.filter((l) => l.kind === 'added').map((l) => l.text.trim());
    expect(added.join(' ')).toContain('"name": "b"');
    expect(lines.filter((l) => l.kind === 'same').some((l) => l.text.includes('"name": "Left"'))).toBe(true);
    // Every line of both versions is accounted for exactly once.
    expect(lines.filter((l) => l.kind !== 'added').map((l) => l.text)).toEqual(v1.split('\n'));
    expect(lines.filter((l) => l.kind !== 'removed').map((l) => l.text)).toEqual(v2.split('\n'));
  });

  it('the same text has no changes', () => {
    expect(hasChanges(schemaDiff(v1, v1))).toBe(false);
  });
});

describe('folding unchanged lines', () => {
  const line = (kind: 'same' | 'added' | 'removed', text: string) => ({ kind, text });

  it('keeps the context around a change and folds the rest into counted markers', () => {
    const lines = [...Array.from({ length: 10 }, (_, i) => line('same', `s${i}`)), line('added', 'new'), ...Array.from({ length: 6 }, (_, i) => line('same', `t${i}`))];
    expect(foldUnchanged(lines, 2)).toEqual([{ kind: 'fold', count: 8 }, line('same', 's8'), line('same', 's9'), line('added', 'new'), line('same', 't0'), line('same', 't1'), { kind: 'fold', count: 4 }]);
  });

  it('shows identical texts whole (nothing to fold around)', () => {
    const lines = [line('same', 'a'), line('same', 'b')];
    expect(foldUnchanged(lines)).toEqual(lines);
  });
});
