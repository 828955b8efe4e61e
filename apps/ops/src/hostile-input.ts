/** The deepest nesting an ops request body needs (a bulk replay's filter is two levels). */
export const MAX_BODY_DEPTH = 16;

/**
 * Why `value` (a parsed body, query or path parameters) cannot be taken, or undefined when it can:
 * a string with a NUL character (Postgres text cannot hold one, so it would fail deep inside a
 * query) or nesting deeper than `maxDepth`. Walks with its own stack, so a body nested thousands
 * of levels deep costs no recursion.
 */
export function hostileInput(value: unknown, maxDepth = MAX_BODY_DEPTH): string | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length) {
    const [v, depth, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return `${path || 'value'}: NUL characters are not allowed`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return `${path || 'value'}: nested deeper than ${maxDepth} levels`;
    for (const [key, child] of Object.entries(v)) {
      if (key.includes('\u0000')) return `${path || 'value'}: NUL characters are not allowed in names`;
      stack.push([child, depth + 1, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}
