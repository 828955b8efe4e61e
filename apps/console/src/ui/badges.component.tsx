import type { DeadLetterErrorCode, DeadLetterState } from '@rabt/ops-contracts';
import { useConsole } from '../app/console.context';

export function StateBadge({ state }: { readonly state: DeadLetterState }) {
  const { t } = useConsole();
  return (
    <span class={`badge state-${state}`} data-testid="state" data-state={state}>
      {t(`state.${state}`)}
    </span>
  );
}

export function ErrorBadge({ code, status }: { readonly code: DeadLetterErrorCode; readonly status?: number | null }) {
  const { t } = useConsole();
  return (
    <span class="badge error-code" data-code={code} title={code}>
      {t(`errorCode.${code}`)}
      {status ? ` · ${status}` : ''}
    </span>
  );
}

/** An identifier shown as written (left to right even in Arabic), shortened in tables. */
export function Code({ value, short }: { readonly value: string; readonly short?: boolean }) {
  return (
    <bdi class="code" dir="ltr" title={value}>
      {short && value.length > 14 ? `${value.slice(0, 8)}…` : value}
    </bdi>
  );
}
