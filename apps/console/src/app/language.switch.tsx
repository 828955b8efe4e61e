import { LANG_NAMES, LANGS } from '../i18n/i18n';
import { useConsole } from './console.context';

export function LanguageSwitch() {
  const { lang, setLang, t } = useConsole();
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button type="button" key={l} lang={l} class={l === lang ? 'active' : ''} aria-pressed={l === lang} data-testid={`lang-${l}`} onClick={() => setLang(l)}>
          {LANG_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
