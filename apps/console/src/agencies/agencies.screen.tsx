import { useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { Code } from '../ui/badges.component';
import { Empty, Loading, ProblemBox } from '../ui/problem.component';

export function AgenciesScreen({ agency }: { readonly agency?: string | undefined }) {
  const { t, fmt, api, lang } = useConsole();
  const agencies = useLoad(() => api.agencies(), []);
  const subscriptions = useLoad(() => api.subscriptions(agency), [agency]);
  return (
    <section data-testid="agencies">
      <div class="page-head">
        <h1>{t('agencies.title')}</h1>
      </div>
      <ProblemBox error={agencies.error} />
      {!agencies.data ? (
        agencies.error ? null : <Loading />
      ) : (
        <div class="card flush">
          <table class="table" data-testid="agency-list">
            <thead>
              <tr>
                <th>{t('agencies.code')}</th>
                <th>{t('agencies.name')}</th>
                <th class="num">{t('agencies.grants')}</th>
                <th class="num">{t('agencies.subscriptions')}</th>
              </tr>
            </thead>
            <tbody>
              {agencies.data.items.map((a) => (
                <tr key={a.code} class={a.code === agency ? 'selected' : ''} data-testid="agency-item" data-agency={a.code}>
                  <td>
                    <a href={hrefOf({ name: 'agencies', agency: a.code })}>
                      <Code value={a.code} />
                    </a>
                  </td>
                  <td>{lang === 'ar' && a.nameAr ? a.nameAr : a.name}</td>
                  <td class="num">{fmt.number(a.grants.length)}</td>
                  <td class="num">{fmt.number(a.subscriptions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="page-head">
        <h2>
          {t('subscriptions.title')}
          {agency ? (
            <>
              {' · '}
              <Code value={agency} />
            </>
          ) : null}
        </h2>
        {agency ? (
          <a class="button ghost" href={hrefOf({ name: 'agencies' })}>
            {t('common.all')}
          </a>
        ) : null}
      </div>
      <ProblemBox error={subscriptions.error} />
      {!subscriptions.data ? (
        subscriptions.error ? null : <Loading />
      ) : subscriptions.data.items.length === 0 ? (
        <Empty />
      ) : (
        <div class="card flush">
          <table class="table" data-testid="subscription-list">
            <thead>
              <tr>
                <th>{t('subscriptions.agency')}</th>
                <th>{t('subscriptions.eventType')}</th>
                <th>{t('subscriptions.state')}</th>
                <th>{t('subscriptions.webhook')}</th>
                <th>{t('subscriptions.filter')}</th>
                <th>{t('subscriptions.projection')}</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.data.items.map((s) => (
                <tr key={s.id} data-testid="subscription-item">
                  <td>
                    <Code value={s.agency} />
                  </td>
                  <td>
                    <Code value={s.eventType} />
                  </td>
                  <td>{s.state ? <span class="badge">{s.state}</span> : t('common.none')}</td>
                  <td class="wrap">{s.webhook?.url ? <Code value={s.webhook.url} /> : t('common.none')}</td>
                  <td class="wrap">{s.filter ? <Code value={s.filter} /> : t('common.none')}</td>
                  <td>{s.projection?.length ? s.projection.join(', ') : t('common.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
