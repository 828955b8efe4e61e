import { useEffect, useState } from 'preact/hooks';
import type { EventTimelineKind, EventView } from '@rabt/ops-contracts';
import { useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { Code } from '../ui/badges.component';
import { Fact } from '../ui/facts.component';
import { LoadedView } from '../ui/loaded.component';
import { Timeline } from '../ui/timeline.component';

const TONES: Readonly<Record<EventTimelineKind, string>> = {
  published: 'neutral',
  routed: 'neutral',
  attempt: 'warn',
  delivered: 'good',
  'dead-lettered': 'bad',
  replayed: 'neutral',
  discarded: 'bad',
};

export function EventTimelineScreen({ id, source }: { readonly id?: string | undefined; readonly source?: string | undefined }) {
  const { t } = useConsole();
  const [draft, setDraft] = useState({ id: id ?? '', source: source ?? '' });
  useEffect(() => setDraft({ id: id ?? '', source: source ?? '' }), [id, source]);
  return (
    <section data-testid="events">
      <div class="page-head">
        <h1>{t('events.title')}</h1>
      </div>
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          location.hash = hrefOf({ name: 'events', id: draft.id.trim(), source: draft.source.trim() || undefined });
        }}
      >
        <label class="field wide">
          <span>{t('events.id')}</span>
          <input data-testid="event-id" dir="ltr" required value={draft.id} onInput={(e) => setDraft((d) => ({ ...d, id: e.currentTarget.value }))} />
        </label>
        <label class="field wide">
          <span>{t('events.source')}</span>
          <input data-testid="event-source" dir="ltr" value={draft.source} placeholder="urn:rabt:agency:…" onInput={(e) => setDraft((d) => ({ ...d, source: e.currentTarget.value }))} />
        </label>
        <div class="filter-actions">
          <button class="button primary" type="submit" data-testid="event-show">
            {t('common.show')}
          </button>
        </div>
      </form>
      {id ? <EventLookup id={id} source={source} /> : <p class="muted">{t('events.hint')}</p>}
    </section>
  );
}

function EventLookup({ id, source }: { readonly id: string; readonly source?: string | undefined }) {
  const { api } = useConsole();
  const view = useLoad(() => api.event(id, source), [id, source]);
  return <LoadedView loaded={view}>{(data) => <EventDetail view={data} />}</LoadedView>;
}

function EventDetail({ view }: { readonly view: EventView }) {
  const { t, fmt } = useConsole();
  const { event, timeline } = view;
  return (
    <div class="grid-2">
      <div class="card">
        <dl class="facts">
          <Fact label={t('events.id')}>
            <Code value={event.id} />
          </Fact>
          <Fact label={t('events.type')}>
            <Code value={event.type} />
          </Fact>
          <Fact label={t('events.source')}>
            <Code value={event.source} />
          </Fact>
          <Fact label={t('events.subject')}>{event.subject ? <Code value={event.subject} /> : t('common.none')}</Fact>
          <Fact label={t('events.time')}>{fmt.dateTime(event.time)}</Fact>
          <Fact label={t('column.transaction')}>
            {event.transactionId ? (
              <a href={hrefOf({ name: 'transaction', id: event.transactionId })}>
                <Code value={event.transactionId} />
              </a>
            ) : (
              t('common.none')
            )}
          </Fact>
        </dl>
      </div>
      <div class="card">
        <Timeline
          testid="event-timeline"
          time={fmt.dateTime}
          items={timeline.map((entry) => ({
            at: entry.at,
            kind: entry.kind,
            tone: TONES[entry.kind] ?? 'neutral',
            title: (
              <>
                {t(`timeline.${entry.kind}`)}
                {entry.agency ? (
                  <>
                    {' · '}
                    <Code value={entry.agency} />
                  </>
                ) : null}
                {entry.status ? ` · HTTP ${entry.status}` : ''}
              </>
            ),
            detail: entry.detail,
          }))}
        />
      </div>
    </div>
  );
}
