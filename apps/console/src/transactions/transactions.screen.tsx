import type { TransactionView } from '@rabt/sdk';
import { useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { Code } from '../ui/badges.component';
import { Fact } from '../ui/facts.component';
import { LoadedView, Table } from '../ui/loaded.component';
import { Timeline } from '../ui/timeline.component';

const TX_STATES = ['running', 'completed', 'compensating', 'compensated'] as const;
type TxState = (typeof TX_STATES)[number];

function TxStateBadge({ state }: { readonly state: string }) {
  const { t } = useConsole();
  const known = (TX_STATES as readonly string[]).includes(state);
  return (
    <span class={`badge tx-${state}`} data-testid="tx-state" data-state={state}>
      {known ? t(`txState.${state as TxState}`) : state}
    </span>
  );
}

export function TransactionsScreen() {
  const { t, fmt, api } = useConsole();
  const list = useLoad(() => api.transactions({ limit: 100 }), []);
  return (
    <section data-testid="transactions">
      <div class="page-head">
        <h1>{t('transactions.title')}</h1>
        <form
          class="inline-field"
          onSubmit={(e) => {
            e.preventDefault();
            const id = new FormData(e.currentTarget).get('id');
            if (typeof id === 'string' && id.trim()) location.hash = hrefOf({ name: 'transaction', id: id.trim() });
          }}
        >
          <input name="id" dir="ltr" placeholder={t('transactions.id')} data-testid="transaction-id" />
          <button class="button" type="submit">
            {t('common.show')}
          </button>
        </form>
      </div>
      <LoadedView loaded={list} isEmpty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            flush
            testid="transaction-table"
            columns={[t('transactions.id'), t('transactions.workflow'), t('transactions.state'), t('transactions.parties'), t('transactions.startedAt'), t('transactions.updatedAt')]}
          >
            {data.items.map((tx) => (
              <tr key={tx.id} data-testid="transaction-row">
                <td>
                  <a href={hrefOf({ name: 'transaction', id: tx.id })}>
                    <Code value={tx.id} short />
                  </a>
                </td>
                <td>
                  <Code value={tx.workflow} />
                </td>
                <td>
                  <TxStateBadge state={tx.state} />
                </td>
                <td>{tx.parties.join(' · ')}</td>
                <td>{fmt.dateTime(tx.startedAt)}</td>
                <td>{fmt.dateTime(tx.updatedAt)}</td>
              </tr>
            ))}
          </Table>
        )}
      </LoadedView>
    </section>
  );
}

export function TransactionScreen({ id }: { readonly id: string }) {
  const { t, api } = useConsole();
  const view = useLoad(() => api.transaction(id), [id]);
  return (
    <section data-testid="transaction">
      <div class="page-head">
        <h1>
          {t('transactions.title')} · <Code value={id} short />
        </h1>
        <a class="button ghost" href={hrefOf({ name: 'transactions' })}>
          {t('transactions.back')}
        </a>
      </div>
      <LoadedView loaded={view}>{(tx) => <TransactionDetail tx={tx} />}</LoadedView>
    </section>
  );
}

function TransactionDetail({ tx }: { readonly tx: TransactionView }) {
  const { t, fmt } = useConsole();
  return (
    <>
      <div class="card">
        <dl class="facts">
          <Fact label={t('transactions.id')}>
            <Code value={tx.id} />
          </Fact>
          <Fact label={t('transactions.workflow')}>
            <Code value={`${tx.workflow} v${tx.workflowVersion}`} />
          </Fact>
          <Fact label={t('transactions.state')}>
            <TxStateBadge state={tx.state} />
          </Fact>
          <Fact label={t('transactions.startedAt')}>{fmt.dateTime(tx.startedAt)}</Fact>
          <Fact label={t('transactions.completedAt')}>{fmt.dateTime(tx.completedAt)}</Fact>
        </dl>
      </div>
      <div class="grid-2">
        <div class="card flush">
          <h2 class="pad">{t('transactions.steps')}</h2>
          <Table testid="steps" columns={[t('step.name'), t('step.agency'), t('step.state'), t('step.slaDueAt'), t('step.completedAt')]}>
            {tx.steps.map((s) => (
              <tr key={s.name} data-testid="step-row" data-state={s.state}>
                <td>
                  <Code value={s.name} />
                </td>
                <td>
                  <Code value={s.agency} />
                </td>
                <td>
                  <span class={`badge step-${s.state}`}>{t(`stepState.${s.state}`)}</span>
                </td>
                <td>{fmt.dateTime(s.slaDueAt)}</td>
                <td>{fmt.dateTime(s.completedAt)}</td>
              </tr>
            ))}
          </Table>
        </div>
        <div class="card">
          <h2>{t('transactions.timeline')}</h2>
          <Timeline
            testid="transaction-timeline"
            time={fmt.dateTime}
            items={tx.timeline.map((e) => ({
              at: e.at,
              kind: e.type,
              tone: e.type.startsWith('rabt.transaction.sla') ? 'bad' : e.type.startsWith('rabt.transaction.') ? 'good' : 'neutral',
              title: (
                <>
                  <Code value={e.agency} /> · <Code value={e.type} />
                </>
              ),
              detail: (
                <a href={hrefOf({ name: 'events', id: e.eventId })}>
                  <Code value={e.eventId} short />
                </a>
              ),
            }))}
          />
        </div>
      </div>
    </>
  );
}
