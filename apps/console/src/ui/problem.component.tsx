import { OpsProblem } from '../api/ops-problem.exception';
import { useConsole } from '../app/console.context';
import { isMessageKey } from '../i18n/i18n';

/** An error as the operator should read it: our message for a known code, plus the server's title/detail. */
export function ProblemBox({ error }: { readonly error: unknown }) {
  const { t } = useConsole();
  if (!error) return null;
  const problem = error instanceof OpsProblem ? error.problem : null;
  const key = problem ? `error.${problem.code}` : '';
  const headline = isMessageKey(key) ? t(key) : problem?.title ?? t('error.generic');
  const server = problem && isMessageKey(key) ? [problem.title, problem.detail].filter(Boolean).join(': ') : problem?.detail;
  return (
    <div class="problem" role="alert" data-testid="problem" data-code={problem?.code ?? 'UNKNOWN'}>
      <strong>{headline}</strong>
      {server ? <span class="problem-detail" data-testid="problem-detail">{server}</span> : null}
      {!problem && error instanceof Error ? <span class="problem-detail">{error.message}</span> : null}
    </div>
  );
}

export function Loading() {
  const { t } = useConsole();
  return <p class="muted" data-testid="loading">{t('common.loading')}</p>;
}

export function Empty() {
  const { t } = useConsole();
  return <p class="muted empty" data-testid="empty">{t('common.empty')}</p>;
}
