import { useEffect, useState } from 'preact/hooks';
import type { ReplayJob } from '@rabt/ops-contracts';
import { useConsole } from '../app/console.context';
import { ProblemBox } from '../ui/problem.component';
import { ReasonDialog } from '../ui/reason.dialog';
import { bulkFilter, type DeadLetterListFilter } from './dead-letter.filter';

const POLL_MS = 1000;

/**
 * "Replay all matching": starts a bulk replay job for the list's filter and follows its progress;
 * the progress stays in view after the job has emptied the list.
 */
export function BulkReplay(props: { readonly filter: DeadLetterListFilter; readonly total: number; readonly enabled: boolean; readonly onFinished: () => void }) {
  const { filter, total, enabled, onFinished } = props;
  const { t, fmt, api } = useConsole();
  const [asking, setAsking] = useState(false);
  const [rate, setRate] = useState(50);
  const [job, setJob] = useState<ReplayJob | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!job || job.state !== 'running') return;
    const timer = setTimeout(() => {
      api.replayJob(job.id).then((next) => {
        setJob(next);
        if (next.state !== 'running') onFinished();
      }, setError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, api, onFinished]);

  return (
    <>
      {enabled ? (
        <button type="button" class="button primary" data-testid="replay-all" onClick={() => setAsking(true)} disabled={job?.state === 'running'}>
          {t('deadLetters.replayAll')}
        </button>
      ) : null}
      {asking ? (
        <ReasonDialog
          title={t('deadLetters.replayAllTitle', { count: fmt.number(total) })}
          confirmLabel={t('deadLetters.replayAll')}
          onCancel={() => setAsking(false)}
          onConfirm={async (reason) => {
            setJob(await api.startReplayJob(bulkFilter(filter), reason, rate));
            setAsking(false);
          }}
        >
          <label class="field">
            <span>{t('replayJob.rate')}</span>
            <input type="number" min={1} max={1000} value={rate} data-testid="replay-rate" onInput={(e) => setRate(Number(e.currentTarget.value) || 50)} />
          </label>
        </ReasonDialog>
      ) : null}
      {job ? (
        <div class="job card" data-testid="replay-job" data-state={job.state}>
          <strong>
            {t('replayJob.title')} · {t(`replayJob.state.${job.state}`)}
          </strong>
          <progress max={Math.max(1, job.total)} value={job.done + job.skipped} />
          <span data-testid="replay-job-progress">{t('replayJob.progress', { done: fmt.number(job.done), total: fmt.number(job.total), skipped: fmt.number(job.skipped) })}</span>
        </div>
      ) : null}
      <ProblemBox error={error} />
    </>
  );
}
