// What the demo files, as the agencies' own systems would: a left-work report (and its withdrawal)
// or a worker-service transfer request, each from a golden fixture made unique per transaction.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventTypes, type EventData, type EventType } from '@rabt/contracts';
import { ROOT } from './services';

export const SCENARIOS = ['employee-left-work', 'withdrawal', 'worker-service-transfer'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_INFO: Readonly<Record<Scenario, { workflow: string; trigger: EventType; agencies: readonly string[]; what: string }>> = {
  'employee-left-work': { workflow: 'employee-left-work', trigger: EventTypes.MomEmployeeLeftWorkReported, agencies: ['rop', 'moci', 'mom'], what: 'an employer reports at MoM that a worker absconded' },
  withdrawal: { workflow: 'employee-left-work', trigger: EventTypes.MomEmployeeLeftWorkReported, agencies: ['rop', 'moci', 'mom'], what: 'the same report, withdrawn by the employer half-way: every agency undoes its step' },
  'worker-service-transfer': { workflow: 'worker-service-transfer', trigger: EventTypes.MomWorkerServiceTransferRequested, agencies: ['epay', 'rop', 'mom'], what: "a new employer asks MoM to transfer a worker's services; the fee is paid through epay" },
};

function fixture<T extends EventType>(type: T, name: string): EventData<T> {
  return JSON.parse(readFileSync(join(ROOT, 'test/fixtures', type, 'ok', `${name}.json`), 'utf8')) as EventData<T>;
}

/** A left-work report for worker number `n` of run `run`: unique report id and civil number. */
export function leftWorkReport(run: string, n: number): EventData<typeof EventTypes.MomEmployeeLeftWorkReported> {
  const base = fixture(EventTypes.MomEmployeeLeftWorkReported, 'absconded-seeb');
  const civil = String(100_000_000 + ((Number.parseInt(run.slice(-6), 36) * 7919 + n) % 900_000_000));
  return { ...base, reportId: `LWR-${new Date().getUTCFullYear()}-${run}-${n}`, workerCivilNumber: civil, workPermitNumber: `WP-${new Date().getUTCFullYear()}-${civil.slice(-7)}`, reportedAt: Date.now() };
}

export function withdrawalOf(report: EventData<typeof EventTypes.MomEmployeeLeftWorkReported>): EventData<typeof EventTypes.MomEmployeeLeftWorkWithdrawn> {
  return {
    reportId: report.reportId,
    workerCivilNumber: report.workerCivilNumber,
    employerCrNumber: report.employerCrNumber,
    withdrawalReason: 'The worker came back to the site the next morning; his phone had been lost.',
    withdrawnAt: Date.now(),
    withdrawnBy: report.reportedBy,
  };
}

export function transferRequest(run: string, n: number): EventData<typeof EventTypes.MomWorkerServiceTransferRequested> {
  const base = fixture(EventTypes.MomWorkerServiceTransferRequested, 'electrician-muscat-with-consent');
  const civil = String(100_000_000 + ((Number.parseInt(run.slice(-6), 36) * 104_729 + n) % 900_000_000));
  return { ...base, requestId: `WST-${new Date().getUTCFullYear()}-${run}-${n}`, workerCivilNumber: civil, requestedAt: Date.now() };
}
