// The console shell: language and session state, the header, the navigation and the screen of the
// current hash route.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionOperator } from '@rabt/ops-contracts';
import type { OpsClient } from '../api/ops.client';
import { AgenciesScreen } from '../agencies/agencies.screen';
import { DashboardScreen } from '../dashboard/dashboard.screen';
import { DeadLetterScreen } from '../dead-letters/dead-letter.screen';
import { DeadLettersScreen } from '../dead-letters/dead-letters.screen';
import { EventTimelineScreen } from '../events/event-timeline.screen';
import { dirOf, LANG_STORAGE_KEY, parseLang, translate, type Lang, type MessageKey } from '../i18n/i18n';
import { OperatorsScreen } from '../operators/operators.screen';
import { SchemasScreen } from '../schemas/schemas.screen';
import { SignInScreen } from '../session/sign-in.screen';
import { TransactionScreen, TransactionsScreen } from '../transactions/transactions.screen';
import { ConsoleContext, makeI18n, useConsole, type ConsoleContextValue } from './console.context';
import { LanguageSwitch } from './language.switch';
import { hrefOf, parseHash, type Route } from './route';

/** Dispatched on window when the ops API says the session has ended. */
export const SESSION_ENDED_EVENT = 'rabt:session-ended';

const NAV: readonly { readonly route: Route; readonly label: MessageKey; readonly matches: readonly Route['name'][]; readonly adminOnly?: true }[] = [
  { route: { name: 'dashboard' }, label: 'nav.dashboard', matches: ['dashboard'] },
  { route: { name: 'dead-letters', filter: { state: 'open' } }, label: 'nav.deadLetters', matches: ['dead-letters', 'dead-letter'] },
  { route: { name: 'events' }, label: 'nav.events', matches: ['events'] },
  { route: { name: 'transactions' }, label: 'nav.transactions', matches: ['transactions', 'transaction'] },
  { route: { name: 'schemas' }, label: 'nav.schemas', matches: ['schemas'] },
  { route: { name: 'agencies' }, label: 'nav.agencies', matches: ['agencies'] },
  { route: { name: 'operators' }, label: 'nav.operators', matches: ['operators'], adminOnly: true },
];

function initialLang(): Lang {
  return parseLang(localStorage.getItem(LANG_STORAGE_KEY)) ?? parseLang(navigator.language.slice(0, 2)) ?? 'en';
}

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App({ api }: { readonly api: OpsClient }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  // undefined: still asking the server whether a session exists.
  const [operator, setOperator] = useState<SessionOperator | null | undefined>(undefined);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dirOf(lang);
    document.title = `${translate(lang, 'app.brand')} · ${translate(lang, 'app.title')}`;
  }, [lang]);

  useEffect(() => {
    api.currentOperator().then(setOperator, () => setOperator(null));
    const onEnded = () => setOperator(null);
    addEventListener(SESSION_ENDED_EVENT, onEnded);
    return () => removeEventListener(SESSION_ENDED_EVENT, onEnded);
  }, [api]);

  const value = useMemo<ConsoleContextValue>(
    () => ({
      lang,
      setLang: (l) => {
        localStorage.setItem(LANG_STORAGE_KEY, l);
        setLangState(l);
      },
      ...makeI18n(lang),
      api,
      operator: operator ?? null,
      setOperator,
    }),
    [lang, api, operator],
  );

  return (
    <ConsoleContext.Provider value={value}>
      {operator === undefined ? null : operator === null ? <SignInScreen /> : <Shell operator={operator} />}
    </ConsoleContext.Provider>
  );
}

function Shell({ operator }: { readonly operator: SessionOperator }) {
  const { t, api, setOperator } = useConsole();
  const route = useHashRoute();
  const signOut = () => {
    api.signOut().then(
      () => setOperator(null),
      () => setOperator(null),
    );
  };
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/dashboard">
          <span class="brand-mark" aria-hidden="true">
            ر
          </span>
          <span class="brand-name">{t('app.brand')}</span>
          <span class="brand-title">{t('app.title')}</span>
        </a>
        <div class="topbar-end">
          <LanguageSwitch />
          <span class="who" data-testid="who" data-role={operator.role}>
            <strong>{operator.displayName}</strong>
            <span class="badge">{t(`role.${operator.role}`)}</span>
            {operator.agency ? <span class="badge">{t('session.agency', { agency: operator.agency })}</span> : null}
          </span>
          <button type="button" class="button ghost" data-testid="sign-out" onClick={signOut}>
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <nav class="sidebar" aria-label="main">
        {NAV.filter((item) => !item.adminOnly || operator.role === 'admin').map((item) => (
          <a key={item.label} href={hrefOf(item.route)} class={item.matches.includes(route.name) ? 'active' : ''} data-testid={`nav-${item.route.name}`}>
            {t(item.label)}
          </a>
        ))}
      </nav>
      <main class="content" id="content">
        <Screen route={route} />
      </main>
    </div>
  );
}

function Screen({ route }: { readonly route: Route }) {
  switch (route.name) {
    case 'dashboard':
      return <DashboardScreen />;
    case 'dead-letters':
      return <DeadLettersScreen filter={route.filter} />;
    case 'dead-letter':
      return <DeadLetterScreen id={route.id} />;
    case 'events':
      return <EventTimelineScreen id={route.id} source={route.source} />;
    case 'transactions':
      return <TransactionsScreen />;
    case 'transaction':
      return <TransactionScreen id={route.id} />;
    case 'schemas':
      return <SchemasScreen subject={route.subject} />;
    case 'agencies':
      return <AgenciesScreen agency={route.agency} />;
    case 'operators':
      return <OperatorsScreen />;
  }
}
