import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useConsole } from '../app/console.context';
import { ProblemBox } from './problem.component';

export interface ReasonDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  /** Called with the trimmed reason; an error it throws is shown in the dialog. */
  readonly onConfirm: (reason: string) => Promise<void>;
  readonly onCancel: () => void;
  readonly children?: ComponentChildren;
}

/** Every operator action needs a reason (it goes to the audit log): a modal that asks for it. */
export function ReasonDialog({ title, confirmLabel, danger, onConfirm, onCancel, children }: ReasonDialogProps) {
  const { t } = useConsole();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div class="overlay" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" data-testid="reason-dialog" onSubmit={(e) => void submit(e)}>
        <h2 id="dialog-title">{title}</h2>
        {children}
        <label class="field">
          <span>{t('reason.label')}</span>
          <textarea
            data-testid="reason-input"
            rows={3}
            value={reason}
            placeholder={t('reason.placeholder')}
            onInput={(e) => {
              setReason(e.currentTarget.value);
              setMissing(false);
            }}
            autoFocus
          />
        </label>
        {missing ? <p class="field-error" data-testid="reason-missing">{t('reason.required')}</p> : null}
        <ProblemBox error={error} />
        <div class="actions">
          <button type="button" class="button" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" class={danger ? 'button danger' : 'button primary'} data-testid="reason-confirm" disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
