/**
 * Services throw domain errors, never HTTP errors. Each domain declares a closed code enum and
 * its own subclass; the transport maps codes to statuses in one place (see ProblemRegistry).
 */
export abstract class DomainException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** Extra members for the problem document (e.g. the failing field paths). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ProblemType {
  readonly status: number;
  readonly title: string;
  /** Seconds; sets Retry-After (429, 503). */
  readonly retryAfterSeconds?: number;
}

/** code -> HTTP meaning, declared per domain next to its exception. */
export type ProblemMapping<Code extends string> = Readonly<Record<Code, ProblemType>>;
