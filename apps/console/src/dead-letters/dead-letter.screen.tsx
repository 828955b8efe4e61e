import { useState } from 'preact/hooks';
import type { DeadLetterDetail } from '@rabt/ops-contracts';
import { canAct, useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { Code, ErrorBadge, StateBadge } from '../ui/badges.component';
import { Fact } from '../ui/facts.component';
import { JsonView } from '../ui/json.view';
import { LoadedView, num, Table } from '../ui/loaded.component';
import { ReasonDialog } from '../ui/reason.dialog';

type Action = 'replay' | 'discard';

export function DeadLetterScreen({ id }: { readonly id: string }) {
  const { t, api } = useConsole();
  const detail = useLoad(() => api.deadLetter(id), [id]);
  return (
    <section data-testid="dead-letter">
      <div class="page-head">
        <h1>{t('deadLetter.title')}</h1>
        <a class="button ghost" href={hrefOf({ name: 'dead-letters', filter: { state: 'open' } })}>
          {t('deadLetter.back')}
        </a>
      </div>
      <LoadedView loaded={detail}>{(d) => <Detail d={d} onChanged={detail.reload} />}</LoadedView>
    </section>
  );
}

function Detail({ d, onChanged }: { readonly d: DeadLetterDetail; readonly onChanged: () => void }) {
  const { t, fmt, api, operator } = useConsole();
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<Action | null>(null);
  const mayAct = canAct(operator, d.agency) && d.state === 'open';

  const confirm = async (reason: string) => {
    if (action === 'replay') await api.replay(d.id, reason);
    else if (action === 'discard') await api.discard(d.id, reason);
    setDone(action);
    setAction(null);
    onChanged();
  };

  return (
    <>
      <div class="card">
        <div class="detail-head">
          <StateBadge state={d.state} />
          <ErrorBadge code={d.errorCode} status={d.lastStatus} />
          <span class="grow" />
          {mayAct ? (
            <>
              <button type="button" class="button primary" data-testid="replay" onClick={() => setAction('replay')}>
                {t('deadLetter.replay')}
              </button>
              <button type="button" class="button danger" data-testid="discard" onClick={() => setAction('discard')}>
                {t('deadLetter.discard')}
              </button>
            </>
          ) : null}
        </div>
        {done ? (
          <p class="notice" role="status" data-testid="action-done" data-action={done}>
            {t(done === 'replay' ? 'deadLetter.replayed' : 'deadLetter.discarded')}
          </p>
        ) : null}
        <dl class="facts">
          <Fact label={t('deadLetter.event')}>
            <a href={hrefOf({ name: 'events', id: d.eventId, source: d.eventSource })} data-testid="event-link">
              <Code value={d.eventId} />
            </a>
            {' · '}
            <Code value={d.eventType} />
          </Fact>
          <Fact label={t('deadLetter.webhookId')}>
            <span data-testid="webhook-id">
              <Code value={d.webhookId} />
            </span>
          </Fact>
          <Fact label={t('deadLetter.deliveryId')}>
            <Code value={d.deliveryId} />
          </Fact>
          <Fact label={t('deadLetter.publisher')}>
            <Code value={d.publisher} />
          </Fact>
          <Fact label={t('deadLetter.subscriber')}>
            <Code value={d.agency} />
          </Fact>
          <Fact label={t('column.created')}>{fmt.dateTime(d.createdAt)}</Fact>
          <Fact label={t('column.transaction')}>
            {d.transactionId ? (
              <a href={hrefOf({ name: 'transaction', id: d.transactionId })}>
                <Code value={d.transactionId} />
              </a>
            ) : (
              t('common.none')
            )}
          </Fact>
          <Fact label={t('deadLetter.lastError')}>
            <span data-testid="last-error">{d.lastError}</span>
          </Fact>
          {d.discardReason ? <Fact label={t('deadLetter.discardReason')}>{d.discardReason}</Fact> : null}
        </dl>
      </div>
      <div class="grid-2 even">
        <div class="card">
          <h2>{t('deadLetter.payload')}</h2>
          {d.masked.length > 0 ? (
            <p class="notice subtle" data-testid="masked-paths">
              {t('deadLetter.masked', { paths: d.masked.join(', ') })}
            </p>
          ) : null}
          <JsonView value={d.payload} testid="payload" />
        </div>
        <div class="card">
          <h2>{t('deadLetter.attempts')}</h2>
          <Table testid="attempts" columns={['#', t('attempt.at'), num(t('attempt.status')), num(t('attempt.latency')), t('attempt.error')]}>
            {d.attempts.map((a, i) => (
              <tr key={i} data-testid="attempt-row">
                <td>{fmt.number(i + 1)}</td>
                <td>{fmt.dateTime(a.attemptedAt)}</td>
                <td class="num">{a.status ?? t('common.none')}</td>
                <td class="num">{a.latencyMs === null ? t('common.none') : t('attempt.ms', { ms: fmt.number(a.latencyMs) })}</td>
                <td class="wrap">{a.error ?? ''}</td>
              </tr>
            ))}
          </Table>
        </div>
      </div>
      {action ? (
        <ReasonDialog
          title={t(action === 'replay' ? 'deadLetter.replayTitle' : 'deadLetter.discardTitle')}
          confirmLabel={t(action === 'replay' ? 'deadLetter.replay' : 'deadLetter.discard')}
          danger={action === 'discard'}
          onCancel={() => setAction(null)}
          onConfirm={confirm}
        />
      ) : null}
    </>
  );
}
