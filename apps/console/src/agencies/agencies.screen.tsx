import type { ExpiringApiKeys } from '@rabt/ops-contracts';
import { useConsole, useLoad } from '../app/console.context';
import { hrefOf } from '../app/route';
import { Code } from '../ui/badges.component';
import { LoadedView, num, Table } from '../ui/loaded.component';

/** The warning of API keys about to expire (agency, key id, label, date; never a secret); nothing when there are none. */
function ExpiringKeys({ data }: { readonly data: ExpiringApiKeys }) {
  const { t, fmt } = useConsole();
  if (data.items.length === 0) return null;
  return (
    <div class="notice key-expiry" role="status" data-testid="expiring-keys">
      <h2>{t('apiKeys.expiringTitle', { days: fmt.number(data.warningDays) })}</h2>
      <Table flush testid="expiring-key-list" columns={[t('apiKeys.agency'), t('apiKeys.keyId'), t('apiKeys.label'), t('apiKeys.expiresAt')]}>
        {data.items.map((k) => (
          <tr key={k.id} data-testid="expiring-key-item" data-key={k.id}>
            <td>
              <Code value={k.agency} />
            </td>
            <td>
              <Code value={k.id} />
            </td>
            <td>{k.label}</td>
            <td>{fmt.dateTime(k.expiresAt)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

export function AgenciesScreen({ agency }: { readonly agency?: string | undefined }) {
  const { t, fmt, api, lang } = useConsole();
  const agencies = useLoad(() => api.agencies(), []);
  const subscriptions = useLoad(() => api.subscriptions(agency), [agency]);
  const expiring = useLoad(() => api.expiringKeys(), []);
  const none = t('common.none');
  return (
    <section data-testid="agencies">
      <div class="page-head">
        <h1>{t('agencies.title')}</h1>
      </div>
      <LoadedView loaded={expiring}>{(data) => <ExpiringKeys data={data} />}</LoadedView>
      <LoadedView loaded={agencies}>
        {(data) => (
          <Table flush testid="agency-list" columns={[t('agencies.code'), t('agencies.name'), num(t('agencies.grants')), num(t('agencies.subscriptions'))]}>
            {data.items.map((a) => (
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
          </Table>
        )}
      </LoadedView>
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
      <LoadedView loaded={subscriptions} isEmpty={(d) => d.items.length === 0}>
        {(data) => (
          <Table
            flush
            testid="subscription-list"
            columns={[t('subscriptions.agency'), t('subscriptions.eventType'), t('subscriptions.state'), t('subscriptions.webhook'), t('subscriptions.filter'), t('subscriptions.projection')]}
          >
            {data.items.map((s) => (
              <tr key={s.id} data-testid="subscription-item">
                <td>
                  <Code value={s.agency} />
                </td>
                <td>
                  <Code value={s.eventType} />
                </td>
                <td>{s.state ? <span class="badge">{s.state}</span> : none}</td>
                <td class="wrap">{s.webhook?.url ? <Code value={s.webhook.url} /> : none}</td>
                <td class="wrap">{s.filter ? <Code value={s.filter} /> : none}</td>
                <td>{s.projection?.length ? s.projection.join(', ') : none}</td>
              </tr>
            ))}
          </Table>
        )}
      </LoadedView>
    </section>
  );
}
