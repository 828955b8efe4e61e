import { useEffect, useState } from 'preact/hooks';
import { DEAD_LETTER_ERROR_CODES, DEAD_LETTER_STATES, type DeadLetterSummary } from '@rabt/ops-contracts';
import { canAct, useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { Code, ErrorBadge, StateBadge } from '../ui/badges.component';
import { num, Table } from '../ui/loaded.component';
import { Empty, Loading, ProblemBox } from '../ui/problem.component';
import { fromLocalInput, normaliseFilter, toLocalInput, type DeadLetterListFilter } from './dead-letter.filter';
import { BulkReplay } from './bulk-replay.component';

const PAGE = 50;

export function DeadLettersScreen({ filter }: { readonly filter: DeadLetterListFilter }) {
  const { t, fmt, api, operator } = useConsole();
  const key = JSON.stringify(filter);
  const first = useLoad(() => api.deadLetters({ ...filter, limit: PAGE }), [key]);
  const [more, setMore] = useState<{ items: DeadLetterSummary[]; cursor: string | null; error: unknown }>({ items: [], cursor: null, error: null });
  useEffect(() => setMore({ items: [], cursor: first.data?.nextCursor ?? null, error: null }), [first.data]);

  const loadMore = () => {
    if (!more.cursor) return;
    api.deadLetters({ ...filter, limit: PAGE, cursor: more.cursor }).then(
      (page) => setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor, error: null })),
      (error: unknown) => setMore((m) => ({ ...m, error })),
    );
  };

  const rows = [...(first.data?.items ?? []), ...more.items];
  return (
    <section data-testid="dead-letters">
      <div class="page-head">
        <h1>{t('deadLetters.title')}</h1>
        {first.data ? (
          <span class="muted" data-testid="dead-letters-total">
            {t('deadLetters.total', { count: fmt.number(first.data.total) })}
          </span>
        ) : null}
        <div class="page-actions">
          <button type="button" class="button ghost" onClick={first.reload}>
            {t('common.refresh')}
          </button>
          {canAct(operator) ? <BulkReplay filter={filter} total={first.data?.total ?? 0} enabled={(first.data?.total ?? 0) > 0 && (filter.state ?? 'open') === 'open'} onFinished={first.reload} /> : null}
        </div>
      </div>
      <FilterForm filter={filter} />
      <ProblemBox error={first.error} />
      {first.loading && !first.data ? <Loading /> : null}
      {first.data && rows.length === 0 ? <Empty /> : null}
      {rows.length > 0 ? (
        <Table
          flush
          testid="dead-letter-table"
          columns={[t('column.created'), t('column.agency'), t('column.type'), t('column.error'), num(t('column.attempts')), t('column.transaction'), t('column.state')]}
        >
          {rows.map((d) => (
            <tr key={d.id} data-testid="dead-letter-row" data-id={d.id} data-agency={d.agency}>
              <td>
                <a href={hrefOf({ name: 'dead-letter', id: d.id })} data-testid="dead-letter-link">
                  {fmt.dateTime(d.createdAt)}
                </a>
              </td>
              <td>
                <Code value={d.agency} />
              </td>
              <td>
                <Code value={d.eventType} />
              </td>
              <td>
                <ErrorBadge code={d.errorCode} status={d.lastStatus} />
              </td>
              <td class="num">{fmt.number(d.attempts)}</td>
              <td>{d.transactionId ? <Code value={d.transactionId} short /> : t('common.none')}</td>
              <td>
                <StateBadge state={d.state} />
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <ProblemBox error={more.error} />
      {more.cursor ? (
        <button type="button" class="button" data-testid="load-more" onClick={loadMore}>
          {t('deadLetters.more')}
        </button>
      ) : null}
    </section>
  );
}

function FilterForm({ filter }: { readonly filter: DeadLetterListFilter }) {
  const { t, api, lang } = useConsole();
  const [draft, setDraft] = useState<DeadLetterListFilter>(filter);
  useEffect(() => setDraft(filter), [JSON.stringify(filter)]);
  const agencies = useLoad(() => api.agencies(), []);
  const schemas = useLoad(() => api.schemas(), []);
  const set = (key: keyof DeadLetterListFilter, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  const apply = (e: Event) => {
    e.preventDefault();
    location.hash = hrefOf({ name: 'dead-letters', filter: normaliseFilter(draft) });
  };

  return (
    <form class="filters card" data-testid="dead-letter-filters" onSubmit={apply}>
      <label class="field">
        <span>{t('filter.agency')}</span>
        <input data-testid="filter-agency" list="agency-codes" dir="ltr" value={draft.agency ?? ''} onInput={(e) => set('agency', e.currentTarget.value)} />
        <datalist id="agency-codes">
          {(agencies.data?.items ?? []).map((a) => (
            <option key={a.code} value={a.code}>
              {lang === 'ar' && a.nameAr ? a.nameAr : a.name}
            </option>
          ))}
        </datalist>
      </label>
      <label class="field wide">
        <span>{t('filter.type')}</span>
        <input data-testid="filter-type" list="event-types" dir="ltr" value={draft.type ?? ''} onInput={(e) => set('type', e.currentTarget.value)} />
        <datalist id="event-types">
          {(schemas.data?.items ?? []).flatMap((s) => (s.type ? [<option key={s.type} value={s.type} />] : []))}
        </datalist>
      </label>
      <label class="field">
        <span>{t('filter.errorCode')}</span>
        <select data-testid="filter-error-code" value={draft.errorCode ?? ''} onChange={(e) => set('errorCode', e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {DEAD_LETTER_ERROR_CODES.map((c) => (
            <option key={c} value={c}>
              {t(`errorCode.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('filter.state')}</span>
        <select data-testid="filter-state" value={draft.state ?? 'open'} onChange={(e) => set('state', e.currentTarget.value)}>
          {DEAD_LETTER_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`state.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('filter.from')}</span>
        <input data-testid="filter-from" type="datetime-local" value={toLocalInput(draft.from)} onInput={(e) => set('from', fromLocalInput(e.currentTarget.value))} />
      </label>
      <label class="field">
        <span>{t('filter.to')}</span>
        <input data-testid="filter-to" type="datetime-local" value={toLocalInput(draft.to)} onInput={(e) => set('to', fromLocalInput(e.currentTarget.value))} />
      </label>
      <label class="field wide">
        <span>{t('filter.transactionId')}</span>
        <input data-testid="filter-transaction" dir="ltr" value={draft.transactionId ?? ''} onInput={(e) => set('transactionId', e.currentTarget.value)} />
      </label>
      <div class="filter-actions">
        <button type="submit" class="button primary" data-testid="filter-apply">
          {t('common.apply')}
        </button>
        <a class="button ghost" href={hrefOf({ name: 'dead-letters', filter: { state: 'open' } })} data-testid="filter-reset">
          {t('common.reset')}
        </a>
      </div>
    </form>
  );
}
