import { useState } from 'preact/hooks';
import { useConsole } from '../app/console.context';
import { ProblemBox } from '../ui/problem.component';
import { LanguageSwitch } from '../app/language.switch';

export function SignInScreen() {
  const { t, api, setOperator } = useConsole();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setOperator((await api.signIn(username, password)).operator);
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" data-testid="sign-in">
      <div class="sign-in-lang">
        <LanguageSwitch />
      </div>
      <form class="card sign-in-card" onSubmit={(e) => void submit(e)}>
        <div class="brand-mark large" aria-hidden="true">
          ر
        </div>
        <h1>
          {t('app.brand')} · {t('app.title')}
        </h1>
        <p class="muted">{t('signIn.subtitle')}</p>
        <label class="field">
          <span>{t('signIn.username')}</span>
          <input data-testid="username" name="username" autoComplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required dir="ltr" />
        </label>
        <label class="field">
          <span>{t('signIn.password')}</span>
          <input data-testid="password" name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required dir="ltr" />
        </label>
        <ProblemBox error={error} />
        <button class="button primary wide" type="submit" data-testid="sign-in-submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
