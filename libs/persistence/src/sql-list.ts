/** `'a', 'b', 'c'`: a list of plain words as the SQL of an IN (…) list, for check constraints. */
export function sqlInList(values: readonly string[]): string {
  for (const v of values) if (!/^[A-Za-z0-9_-]+$/.test(v)) throw new Error(`not a plain word for SQL: ${v}`);
  return values.map((v) => `'${v}'`).join(', ');
}
