// Hash routes (`#/dead-letters?agency=mom`): the ops service serves the console as static files,
// so every screen is addressable without a server-side fallback, and a filter can be shared as a link.
import type { DeadLetterListFilter } from '../dead-letters/dead-letter.filter';

export type Route =
  | { readonly name: 'dashboard' }
  | { readonly name: 'dead-letters'; readonly filter: DeadLetterListFilter }
  | { readonly name: 'dead-letter'; readonly id: string }
  | { readonly name: 'events'; readonly id?: string; readonly source?: string }
  | { readonly name: 'transactions' }
  | { readonly name: 'transaction'; readonly id: string }
  | { readonly name: 'schemas'; readonly subject?: string }
  | { readonly name: 'agencies'; readonly agency?: string }
  | { readonly name: 'operators' };

export const FILTER_KEYS = ['agency', 'type', 'errorCode', 'from', 'to', 'transactionId', 'state'] as const satisfies readonly (keyof DeadLetterListFilter)[];

function filterFrom(params: URLSearchParams): DeadLetterListFilter {
  const filter: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  switch (first) {
    case 'dead-letters':
      return second ? { name: 'dead-letter', id: second } : { name: 'dead-letters', filter: filterFrom(params) };
    case 'events':
      return { name: 'events', ...optional('id', second ?? null), ...optional('source', params.get('source')) };
    case 'transactions':
      return second ? { name: 'transaction', id: second } : { name: 'transactions' };
    case 'schemas':
      return { name: 'schemas', ...optional('subject', second ?? null) };
    case 'agencies':
      return { name: 'agencies', ...optional('agency', params.get('agency')) };
    case 'operators':
      return { name: 'operators' };
    default:
      return { name: 'dashboard' };
  }
}

function withQuery(path: string, query: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

export function hrefOf(route: Route): string {
  const seg = encodeURIComponent;
  switch (route.name) {
    case 'dashboard':
      return '#/dashboard';
    case 'dead-letters':
      return withQuery('/dead-letters', { ...route.filter });
    case 'dead-letter':
      return `#/dead-letters/${seg(route.id)}`;
    case 'events':
      return withQuery(route.id ? `/events/${seg(route.id)}` : '/events', { source: route.source });
    case 'transactions':
      return '#/transactions';
    case 'transaction':
      return `#/transactions/${seg(route.id)}`;
    case 'schemas':
      return route.subject ? `#/schemas/${seg(route.subject)}` : '#/schemas';
    case 'agencies':
      return withQuery('/agencies', { agency: route.agency });
    case 'operators':
      return '#/operators';
  }
}
