// The shape of a reaction (a forward step, an undo step) and the helpers their builders share.
import type { EventData, EventType } from '@rabt/sdk';
import type { SimulatedAgency } from '../config/simulator.config';
import type { CaseFacts, PublishedRecord } from './case-file';

/** A delivered CloudEvent, as the webhook carried it (data may be a projection). */
export interface DeliveredEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly transactionid?: string;
  readonly time?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Facts the builder needs and the case file does not hold yet (another delivery brings them). */
export class FactsMissing {
  constructor(readonly missing: readonly string[]) {}
}

export interface ForwardReaction {
  readonly agency: SimulatedAgency;
  readonly on: EventType;
  readonly publishes: EventType;
  build(facts: CaseFacts, event: DeliveredEvent, now: Date, transactionId: string): Record<string, unknown> | FactsMissing;
}

export interface UndoReaction {
  readonly agency: SimulatedAgency;
  /** The forward event this undoes (published only if that one was). */
  readonly undoes: EventType;
  readonly publishes: EventType;
  build(done: PublishedRecord, facts: CaseFacts, withdrawal: DeliveredEvent, now: Date): Record<string, unknown>;
}

/** A typed forward reaction, erased to the table's shape. */
export function forward<On extends EventType, Out extends EventType>(
  agency: SimulatedAgency,
  on: On,
  publishes: Out,
  build: (facts: CaseFacts, event: DeliveredEvent, now: Date, transactionId: string) => EventData<Out> | FactsMissing,
): ForwardReaction {
  return { agency, on, publishes, build: build as ForwardReaction['build'] };
}

/** A typed undo reaction, erased to the table's shape. */
export function undo<Done extends EventType, Out extends EventType>(
  agency: SimulatedAgency,
  undoes: Done,
  publishes: Out,
  build: (done: PublishedRecord & { readonly data: EventData<Done> }, facts: CaseFacts, withdrawal: DeliveredEvent, now: Date) => EventData<Out>,
): UndoReaction {
  return { agency, undoes, publishes, build: build as unknown as UndoReaction['build'] };
}

/** FNV-1a: a small stable hash, for realistic but repeatable case numbers. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function pick<T>(list: readonly T[], seed: string): T {
  return list[stableHash(seed) % list.length]!;
}

export function requireFacts<K extends keyof CaseFacts>(facts: CaseFacts, keys: readonly K[]): FactsMissing | Required<Pick<CaseFacts, K>> {
  const missing = keys.filter((k) => facts[k] === undefined);
  return missing.length ? new FactsMissing(missing) : (facts as Required<Pick<CaseFacts, K>>);
}
