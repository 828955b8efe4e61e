// Plain-text rendering shared by the agency registry commands.

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** `2026-03-01 09:30 UTC` */
export const when = (d: Date | string): string => `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const json = (value: unknown): string => JSON.stringify(value, null, 2);
