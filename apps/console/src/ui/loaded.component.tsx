import type { ComponentChildren } from 'preact';
import type { Loaded } from '../app/console.context';
import { Empty, Loading, ProblemBox } from './problem.component';

/** What a screen shows for a load: the problem, "loading", "nothing to show", or the data. */
export function LoadedView<T>({ loaded, isEmpty, children }: { readonly loaded: Loaded<T>; readonly isEmpty?: (data: T) => boolean; readonly children: (data: T) => ComponentChildren }) {
  if (loaded.error) return <ProblemBox error={loaded.error} />;
  if (loaded.data === undefined) return <Loading />;
  if (isEmpty?.(loaded.data)) return <Empty />;
  return <>{children(loaded.data)}</>;
}

export type Column = string | { readonly label: string; readonly num: true };

/** A data table with its header row; `flush` puts it in a card of its own. */
export function Table({ testid, columns, flush, children }: { readonly testid: string; readonly columns: readonly Column[]; readonly flush?: boolean; readonly children: ComponentChildren }) {
  const table = (
    <table class="table" data-testid={testid}>
      <thead>
        <tr>
          {columns.map((c, i) =>
            typeof c === 'string' ? (
              <th key={i}>{c}</th>
            ) : (
              <th key={i} class="num">
                {c.label}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return flush ? <div class="card flush">{table}</div> : table;
}

/** A numeric column's header. */
export const num = (label: string): Column => ({ label, num: true });
