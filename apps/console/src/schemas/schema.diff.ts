import { diffLines } from 'diff';

export interface DiffLine {
  readonly kind: 'added' | 'removed' | 'same';
  readonly text: string;
}

/** Line diff of two schema texts (pretty JSON), one entry per line. */
export function schemaDiff(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(before, after)) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const text = part.value.endsWith('\n') ? part.value.slice(0, -1) : part.value;
    for (const line of text.split('\n')) lines.push({ kind, text: line });
  }
  return lines;
}

/** Whether anything changed. */
export function hasChanges(lines: readonly DiffLine[]): boolean {
  return lines.some((l) => l.kind !== 'same');
}

export type FoldedLine = DiffLine | { readonly kind: 'fold'; readonly count: number };

/** Keeps `context` unchanged lines around each change and folds longer unchanged runs into one marker. */
export function foldUnchanged(lines: readonly DiffLine[], context = 3): FoldedLine[] {
  const near = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) near[j] = true;
  });
  const out: FoldedLine[] = [];
  let folded = 0;
  lines.forEach((l, i) => {
    if (near[i] || !hasChanges(lines)) {
      if (folded) out.push({ kind: 'fold', count: folded });
      folded = 0;
      out.push(l);
    } else folded++;
  });
  if (folded) out.push({ kind: 'fold', count: folded });
  return out;
}
