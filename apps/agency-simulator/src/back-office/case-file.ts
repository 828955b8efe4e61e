// What one simulated back office knows about one cross-agency transaction: the facts it learned
// from the events it received, what it published for it, and whether the transaction was withdrawn.
import type { EventType } from '@rabt/sdk';

/** Facts a back office learns from the events delivered to it (each may be absent: projections). */
export interface CaseFacts {
  reportId?: string;
  workerCivilNumber?: string;
  workPermitNumber?: string;
  employerCrNumber?: string;
  reason?: string;
  lastWorkingDay?: number;
  governorate?: string;
  wilayat?: string;
  caseNumber?: string;
  residencePermitNumber?: string;
  /** The worker-service transfer. */
  transferRequestId?: string;
  currentEmployerCrNumber?: string;
  newEmployerCrNumber?: string;
  currentWorkPermitNumber?: string;
  requestedTransferDate?: number;
  transferFeeBaisa?: number;
}

/** An event this back office published for the transaction. */
export interface PublishedRecord {
  readonly type: EventType;
  readonly id: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface CaseFile {
  readonly transactionId: string;
  readonly facts: CaseFacts;
  withdrawn: boolean;
  /** Forward steps done, by the type published. */
  readonly done: Map<EventType, PublishedRecord>;
  /** Undo events published, by the forward type they undo. */
  readonly undone: Map<EventType, PublishedRecord>;
}

export function newCaseFile(transactionId: string): CaseFile {
  return { transactionId, facts: {}, withdrawn: false, done: new Map(), undone: new Map() };
}

/**
 * Case files by transaction id, with one lock per transaction so that a withdrawal waits for a
 * forward step in progress (and then undoes it) instead of racing it.
 */
export class CaseFiles {
  private readonly files = new Map<string, CaseFile>();
  private readonly locks = new Map<string, Promise<unknown>>();

  get(transactionId: string): CaseFile {
    let file = this.files.get(transactionId);
    if (!file) this.files.set(transactionId, (file = newCaseFile(transactionId)));
    return file;
  }

  find(transactionId: string): CaseFile | undefined {
    return this.files.get(transactionId);
  }

  get size(): number {
    return this.files.size;
  }

  /** Runs `work` after every earlier `work` of the same transaction has settled. */
  async withLock<T>(transactionId: string, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(transactionId) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.locks.set(transactionId, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(transactionId) === tail) this.locks.delete(transactionId);
    }
  }
}
