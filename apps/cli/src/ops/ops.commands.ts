// `rabt login|logout`, `rabt dlq list|show|replay|discard`, `rabt tx show`: the ops API
// (RABT_OPS_URL) with the session `rabt login` stored.
import { SingleBar } from 'cli-progress';
import type { DeadLetterDetail, DeadLetterFilter, DeadLetterListQuery, DeadLetterPage, DeadLetterSummary, ReplayJob } from '@rabt/ops-contracts';
import type { TransactionView } from '@rabt/sdk';
import { ExitCode, type CliOutput } from '../cli/cli.exception';
import { json, table, when } from '../agencies/text.format';
import type { OpsClient } from './ops.client';
import type { StoredSession } from './session.store';

export interface OpsSession {
  readonly opsUrl: string;
  readonly client: OpsClient;
}

export async function runLogin(
  anonymous: OpsClient,
  o: { opsUrl: string; username: string; password: string; json: boolean },
  save: (s: StoredSession) => void,
  output: CliOutput,
): Promise<ExitCode> {
  const { answer, token } = await anonymous.signIn(o.username, o.password);
  save({ opsUrl: o.opsUrl, token, username: answer.operator.username, expiresAt: answer.expiresAt });
  if (o.json) output.out(json({ operator: answer.operator, expiresAt: answer.expiresAt }));
  else output.out(`✓ signed in to ${o.opsUrl} as ${answer.operator.username} (${answer.operator.role}${answer.operator.agency ? `, agency ${answer.operator.agency}` : ''}); the session ends at the latest ${when(answer.expiresAt)}`);
  return ExitCode.OK;
}

const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export async function runDlqList(s: OpsSession, o: DeadLetterListQuery & { json: boolean }, output: CliOutput): Promise<ExitCode> {
  const page = await s.client.call<DeadLetterPage>(
    'GET',
    `/v1/dead-letters${query({ agency: o.agency, type: o.type, errorCode: o.errorCode, from: o.from, to: o.to, transactionId: o.transactionId, state: o.state, limit: o.limit, cursor: o.cursor })}`,
  );
  if (o.json) {
    output.out(json(page));
    return ExitCode.OK;
  }
  if (page.items.length === 0) {
    output.out(`no ${o.state ?? 'open'} dead letters match`);
    return ExitCode.OK;
  }
  for (const line of table(
    ['ID', 'CREATED', 'AGENCY', 'TYPE', 'ERROR', 'ATTEMPTS', 'STATE'],
    page.items.map((d) => [d.id, when(d.createdAt), d.agency, d.eventType, `${d.errorCode}${d.lastStatus ? ` ${d.lastStatus}` : ''}`, String(d.attempts), d.state]),
  )) {
    output.out(line);
  }
  output.out(`${page.items.length} of ${page.total}${page.nextCursor ? `; next page: --cursor ${page.nextCursor}` : ''}`);
  return ExitCode.OK;
}

export async function runDlqShow(s: OpsSession, o: { id: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const d = await s.client.call<DeadLetterDetail>(
    'GET',
    `/v1/dead-letters/${encodeURIComponent(o.id)}`,
  );
  if (o.json) {
    output.out(json(d));
    return ExitCode.OK;
  }
  output.out(`dead letter ${d.id} (${d.state}) — webhook-id ${d.webhookId}`);
  output.out(`  ${d.eventType} ${d.eventId} from ${d.publisher} to ${d.agency}${d.transactionId ? `, transaction ${d.transactionId}` : ''}`);
  output.out(`  ${d.errorCode}: ${d.lastError}`);
  if (d.discardReason) output.out(`  discarded: ${d.discardReason}`);
  output.out('  attempts:');
  for (const a of d.attempts) output.out(`    ${when(a.attemptedAt)}  ${a.status ?? '—'}  ${a.latencyMs} ms  ${a.error ?? ''}`);
  output.out(`  payload${d.masked.length ? ` (masked: ${d.masked.join(', ')})` : ''}:`);
  for (const line of json(d.payload).split('\n')) output.out(`    ${line}`);
  return ExitCode.OK;
}

export async function runDlqAction(s: OpsSession, o: { id: string; action: 'replay' | 'discard'; reason: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const d = await s.client.call<DeadLetterSummary>('POST', `/v1/dead-letters/${encodeURIComponent(o.id)}/${o.action}`, { reason: o.reason });
  if (o.json) output.out(json(d));
  else if (o.action === 'replay') output.out(`✓ dead letter ${d.id} put back for delivery with the same webhook-id ${d.webhookId}`);
  else output.out(`✓ dead letter ${d.id} discarded: ${d.discardReason ?? o.reason}`);
  return ExitCode.OK;
}

/** `dlq replay --all`: starts a bulk replay, then follows its progress until it ends. */
export async function runDlqReplayAll(
  s: OpsSession,
  o: { filter: DeadLetterFilter; reason: string; rate?: number; json: boolean; pollMs?: number; progress?: boolean },
  output: CliOutput,
): Promise<ExitCode> {
  let job = await s.client.call<ReplayJob>('POST', '/v1/replays', { filter: o.filter, reason: o.reason, ...(o.rate !== undefined ? { ratePerSecond: o.rate } : {}) });
  const bar = o.json || o.progress === false ? undefined : new SingleBar({ format: 'replaying [{bar}] {value}/{total} dead letters | {skipped} skipped | {eta_formatted} left', stream: process.stderr, hideCursor: true });
  bar?.start(Math.max(job.total, 1), job.done, { skipped: job.skipped });
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
    job = await s.client.call<ReplayJob>('GET', `/v1/replays/${job.id}`);
    bar?.update(job.done + job.skipped, { skipped: job.skipped });
  }
  bar?.stop();
  if (o.json) output.out(json(job));
  else output.out(`${job.state === 'completed' ? '✓' : '✗'} bulk replay ${job.id} ${job.state}: ${job.done} of ${job.total} put back for delivery, ${job.skipped} skipped`);
  return job.state === 'completed' ? ExitCode.OK : ExitCode.FAILED;
}

export async function runTxShow(s: OpsSession, o: { id: string; json: boolean }, output: CliOutput): Promise<ExitCode> {
  const tx = await s.client.call<TransactionView>('GET', `/v1/transactions/${encodeURIComponent(o.id)}`);
  if (o.json) {
    output.out(json(tx));
    return ExitCode.OK;
  }
  output.out(`transaction ${tx.id}: ${tx.workflow} v${tx.workflowVersion}, ${tx.state}, started ${when(tx.startedAt)}${tx.completedAt ? `, ended ${when(tx.completedAt)}` : ''}`);
  for (const line of table(['STEP', 'AGENCY', 'AWAITS', 'STATE'], tx.steps.map((st) => [st.name, st.agency, st.awaits, st.state]))) output.out(`  ${line}`);
  output.out('  timeline:');
  for (const t of tx.timeline) output.out(`    ${when(t.at)}  ${t.agency}  ${t.type}  ${t.what}`);
  return ExitCode.OK;
}
