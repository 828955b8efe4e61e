// `npm run demo -- --load N`: N employee-left-work transactions, at most `concurrency` open at a
// time. A transaction counts as done when the workflow service emits rabt.transaction.completed
// for it (read from Kafka, cheap); at the end every one is checked through GET
// /v1/transactions/{id}, whose startedAt/completedAt give the time to complete.
import { randomUUID } from 'node:crypto';
import { EventTypes } from '@rabt/contracts';
import { EventConsumer, type KafkaClient } from '@rabt/kafka';
import { RabtClient } from '@rabt/sdk';
import { leftWorkReport } from './scenarios';
import { FINISHED, getTransaction, percentile, type TransactionView } from './transactions';

export interface LoadOptions {
  readonly count: number;
  readonly concurrency: number;
  readonly gatewayUrl: string;
  readonly momToken: string;
  readonly kafka: KafkaClient;
  readonly timeoutMs: number;
  readonly out: NodeJS.WriteStream;
}

export interface LoadResult {
  readonly submitted: number;
  readonly completed: number;
  readonly lost: readonly string[];
  readonly slaBreaches: number;
  readonly breachedTransactions: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly wallMs: number;
}

function bar(done: number, total: number, started: number, elapsedMs: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[demo] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} completed, ${started - done} in flight, ${(elapsedMs / 1000).toFixed(1)} s `;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const run = randomUUID().slice(0, 8);
  const mom = new RabtClient({ baseUrl: options.gatewayUrl, apiKey: options.momToken, agency: 'mom', retries: 8 });
  const finished = new Set<string>();
  const waiting = new Map<string, () => void>();
  const consumer = new EventConsumer(options.kafka, {
    groupId: `rabt-demo-load-${run}`,
    topics: [EventTypes.RabtTransactionCompleted],
    fromBeginning: false,
    handle: async (record) => {
      const tx = record.headers['ce_transactionid'] ?? record.key ?? '';
      finished.add(tx);
      waiting.get(tx)?.();
    },
  });
  await consumer.start();
  const ids: string[] = [];
  const t0 = Date.now();
  // Other runs on the shared broker complete transactions too: count only this run's.
  const doneOfOurs = () => ids.reduce((n, id) => n + (finished.has(id) ? 1 : 0), 0);
  const ticker = setInterval(() => options.out.write(bar(doneOfOurs(), options.count, ids.length, Date.now() - t0)), 250);
  try {
    let next = 0;
    const worker = async () => {
      while (next < options.count) {
        const n = next++;
        const report = leftWorkReport(run, n);
        const accepted = await mom.publish(EventTypes.MomEmployeeLeftWorkReported, report, { id: `demo-load-${run}-${n}`, subject: report.reportId });
        const tx = accepted.transactionid!;
        ids.push(tx);
        if (finished.has(tx)) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.timeoutMs); // gives up on this one; counted as lost below
          waiting.set(tx, () => {
            clearTimeout(timer);
            resolve();
          });
        });
        waiting.delete(tx);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker));
  } finally {
    clearInterval(ticker);
    await consumer.stop();
  }
  const wallMs = Date.now() - t0;
  options.out.write(`${bar(doneOfOurs(), options.count, ids.length, wallMs)}\n`);

  // The record of truth: each transaction as MoM sees it.
  const views: (TransactionView | undefined)[] = [];
  for (let i = 0; i < ids.length; i += 8) views.push(...(await Promise.all(ids.slice(i, i + 8).map((id) => getTransaction(mom, id)))));
  const done = views.filter((v): v is TransactionView => v !== undefined && FINISHED.has(v.state) && v.completedAt !== null);
  const durations = done.map((v) => Date.parse(v.completedAt!) - Date.parse(v.startedAt)).sort((a, b) => a - b);
  const breachedSteps = views.reduce((sum, v) => sum + (v?.steps.filter((s) => s.breachedAt !== null).length ?? 0), 0);
  return {
    submitted: ids.length,
    completed: done.filter((v) => v.state === 'completed').length,
    lost: ids.filter((_, i) => !views[i] || views[i]!.state !== 'completed'),
    slaBreaches: breachedSteps,
    breachedTransactions: views.filter((v) => v?.steps.some((s) => s.breachedAt !== null)).length,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    maxMs: durations.at(-1) ?? NaN,
    wallMs,
  };
}
