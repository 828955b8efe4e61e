import { useEffect, useState } from 'preact/hooks';
import { useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { num, Table } from '../ui/loaded.component';
import { Loading, ProblemBox } from '../ui/problem.component';
import { eventsPerSecond, totals } from './dashboard.metrics';
import { TrafficChart } from './traffic.chart';

const WINDOWS = ['15m', '1h', '6h', '24h'] as const;
const REFRESH_MS = 10_000;

export function DashboardScreen() {
  const { t, fmt, api } = useConsole();
  const [window, setWindow] = useState<string>('15m');
  const dashboard = useLoad(() => api.dashboard(window), [window]);
  useEffect(() => {
    const timer = setInterval(dashboard.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [dashboard.reload]);

  const d = dashboard.data;
  const sum = d ? totals(d.agencies) : null;
  return (
    <section data-testid="dashboard">
      <div class="page-head">
        <h1>{t('dashboard.title')}</h1>
        <label class="inline-field">
          <span>{t('dashboard.window')}</span>
          <select data-testid="dashboard-window" value={window} onChange={(e) => setWindow(e.currentTarget.value)}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ProblemBox error={dashboard.error} />
      {!d ? (
        dashboard.error ? null : <Loading />
      ) : (
        <>
          <div class="tiles">
            <Tile testid="tile-rate" label={t('dashboard.eventsPerSecond')} value={fmt.number(eventsPerSecond(d.series, Date.now()), { maximumFractionDigits: 1 })} />
            <Tile testid="tile-published" label={t('dashboard.published')} value={fmt.number(sum!.published)} />
            <Tile testid="tile-delivered" label={t('dashboard.delivered')} value={fmt.number(sum!.delivered)} tone="good" />
            <Tile testid="tile-failed" label={t('dashboard.failed')} value={fmt.number(sum!.failed)} tone={sum!.failed ? 'warn' : undefined} />
            <Tile testid="tile-dead-letters" label={t('dashboard.deadLetters')} value={fmt.number(sum!.deadLetters)} tone={sum!.deadLetters ? 'bad' : undefined} href={hrefOf({ name: 'dead-letters', filter: { state: 'open' } })} />
          </div>
          <div class="grid-2">
            <div class="card">
              <h2>{t('dashboard.perMinute')}</h2>
              <TrafficChart series={d.series} />
            </div>
            <div class="card" data-testid="sla">
              <h2>{t('dashboard.sla')}</h2>
              <dl class="sla">
                {(['open', 'breached', 'completed', 'withdrawn'] as const).map((k) => (
                  <div key={k} class={`sla-${k}`} data-testid={`sla-${k}`}>
                    <dt>{t(`sla.${k}`)}</dt>
                    <dd>{fmt.number(d.sla[k])}</dd>
                  </div>
                ))}
              </dl>
            </div>
          </div>
          <div class="card">
            <h2>{t('dashboard.perAgency')}</h2>
            <Table
              testid="agency-table"
              columns={[t('dashboard.agency'), num(t('dashboard.published')), num(t('dashboard.delivered')), num(t('dashboard.failed')), num(t('dashboard.deadLetters'))]}
            >
              {d.agencies.map((a) => (
                <tr key={a.agency} data-testid={`agency-row-${a.agency}`}>
                  <td>
                    <span class="code">{a.agency}</span>
                  </td>
                  <td class="num">{fmt.number(a.published)}</td>
                  <td class="num">{fmt.number(a.delivered)}</td>
                  <td class="num">{fmt.number(a.failed)}</td>
                  <td class="num">{a.deadLetters ? <a href={hrefOf({ name: 'dead-letters', filter: { agency: a.agency, state: 'open' } })}>{fmt.number(a.deadLetters)}</a> : fmt.number(0)}</td>
                </tr>
              ))}
            </Table>
          </div>
        </>
      )}
    </section>
  );
}

function Tile({ label, value, tone, href, testid }: { readonly label: string; readonly value: string; readonly tone?: 'good' | 'warn' | 'bad' | undefined; readonly href?: string; readonly testid: string }) {
  const body = (
    <>
      <span class="tile-label">{label}</span>
      <span class="tile-value" data-testid={`${testid}-value`}>
        {value}
      </span>
    </>
  );
  return href ? (
    <a class={`tile ${tone ?? ''}`} data-testid={testid} href={href}>
      {body}
    </a>
  ) : (
    <div class={`tile ${tone ?? ''}`} data-testid={testid}>
      {body}
    </div>
  );
}
