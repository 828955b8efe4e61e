import type { ComponentChildren } from 'preact';

export const MASK = '••••';

/** JSON shown as code (always left to right), with masked values marked. */
export function JsonView({ value, testid }: { readonly value: unknown; readonly testid?: string }) {
  return (
    <pre class="json" dir="ltr" data-testid={testid}>
      {render(value, 0)}
    </pre>
  );
}

function render(value: unknown, depth: number): ComponentChildren {
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return (
      <>
        {'[\n'}
        {value.map((v, i) => (
          <>
            {pad}
            {render(v, depth + 1)}
            {i < value.length - 1 ? ',\n' : '\n'}
          </>
        ))}
        {end}]
      </>
    );
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return (
      <>
        {'{\n'}
        {entries.map(([k, v], i) => (
          <>
            {pad}
            <span class="json-key">{JSON.stringify(k)}</span>
            {': '}
            {render(v, depth + 1)}
            {i < entries.length - 1 ? ',\n' : '\n'}
          </>
        ))}
        {end}
        {'}'}
      </>
    );
  }
  if (value === MASK) {
    return (
      <span class="masked" data-testid="masked-value">
        {JSON.stringify(value)}
      </span>
    );
  }
  return <span class={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>;
}
