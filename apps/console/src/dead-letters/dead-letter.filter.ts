import type { DeadLetterFilter, DeadLetterListQuery } from '@rabt/ops-contracts';

/** The dead-letter list's filter as the console's address and form carry it: the API's filter and the state. */
export type DeadLetterListFilter = DeadLetterFilter & Pick<DeadLetterListQuery, 'state'>;

/** ISO instant → the value of an `<input type="datetime-local">` in the browser's time zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `<input type="datetime-local">` value (local time) → ISO instant; '' stays ''. */
export function fromLocalInput(local: string): string {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** The filter without empty values; the list's state defaults to open (as the API's does). */
export function normaliseFilter(filter: DeadLetterListFilter): DeadLetterListFilter {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter)) if (typeof value === 'string' && value.trim()) out[key] = value.trim();
  return out;
}

/** What a bulk replay takes: the list's filter without `state` (a bulk replay works open dead letters). */
export function bulkFilter(filter: DeadLetterListFilter): DeadLetterFilter {
  const { state: _state, ...rest } = normaliseFilter(filter);
  return rest;
}
