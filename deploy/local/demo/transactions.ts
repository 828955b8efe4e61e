// Following a cross-agency transaction the way an agency would: RabtClient.getTransaction
// (GET /v1/transactions/{id}) with its API key, printing each new timeline entry as it appears.
import { RabtProblemError, type RabtClient, type TransactionTimelineEntry, type TransactionView } from '@rabt/sdk';

export type { TransactionView };

export const FINISHED = new Set(['completed', 'compensated']);

/** The transaction as the client's agency sees it; undefined while the workflow has not taken it in (404). */
export async function getTransaction(client: RabtClient, id: string): Promise<TransactionView | undefined> {
  try {
    return await client.getTransaction(id);
  } catch (e) {
    if (e instanceof RabtProblemError && e.status === 404) return undefined;
    throw e;
  }
}

const seconds = (from: string, to: string) => `${((Date.parse(to) - Date.parse(from)) / 1000).toFixed(2)}s`;

/** One timeline line: offset from the start, agency, event type, what happened. */
export function timelineLine(startedAt: string, e: TransactionTimelineEntry): string {
  return `  +${seconds(startedAt, e.at).padStart(7)}  ${e.agency.padEnd(5)} ${e.type.padEnd(40)} ${e.what}`;
}

export interface FollowOptions {
  readonly timeoutMs: number;
  readonly print: (line: string) => void;
  /** Called on every poll with the latest view (e.g. to withdraw at the right moment). */
  readonly onView?: (view: TransactionView) => Promise<void> | void;
  readonly pollMs?: number;
}

/** Polls the transaction, printing each new timeline entry, until it completes or is compensated. */
export async function followTransaction(client: RabtClient, id: string, options: FollowOptions): Promise<TransactionView> {
  const deadline = Date.now() + options.timeoutMs;
  const printed = new Set<string>();
  let state = '';
  let origin: string | undefined;
  for (;;) {
    const view = await getTransaction(client, id);
    if (view) {
      const entries = [...view.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      // Offsets count from the report itself (its time may be a little before the workflow took it in).
      origin ??= entries[0] && Date.parse(entries[0].at) < Date.parse(view.startedAt) ? entries[0].at : view.startedAt;
      for (const e of entries) {
        const key = `${e.eventId}|${e.type}|${e.at}`;
        if (printed.has(key)) continue;
        printed.add(key);
        options.print(timelineLine(origin, e));
      }
      if (view.state !== state) {
        if (state) options.print(`  ── transaction ${view.state}`);
        state = view.state;
      }
      await options.onView?.(view);
      if (FINISHED.has(view.state)) return view;
    }
    if (Date.now() > deadline) throw new Error(`transaction ${id} did not finish within ${options.timeoutMs / 1000} s (state ${state || 'unknown'})`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
  }
}

/** The per-step table after the timeline. */
export function stepTable(view: TransactionView): string[] {
  return view.steps.map((s) => {
    const took = s.becameCurrentAt && s.completedAt ? seconds(s.becameCurrentAt, s.completedAt) : '—';
    const sla = s.breachedAt ? `SLA breached at ${s.breachedAt}` : s.slaDueAt ? `${s.completedAt ? 'within its SLA, due' : 'SLA due'} ${s.slaDueAt}` : '';
    return `  ${s.name.padEnd(24)} ${s.agency.padEnd(5)} ${s.state.padEnd(12)} ${took.padStart(8)}  ${sla}`;
  });
}

/** Percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
