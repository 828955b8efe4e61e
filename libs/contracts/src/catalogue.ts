// Small lookups over the generated catalogue. Browser-safe: no Node modules.
import type { CatalogueEntry } from './catalogue.types';
import { CATALOGUE, type EventDataByType, type EventType } from './generated/catalogue.generated';

/** The catalogue entry of one type, with its literal schema. */
export type CatalogueEntryOf<T extends EventType> = Extract<(typeof CATALOGUE)[number], { readonly type: T }>;

/** The CloudEvents `data` of an event type. */
export type EventData<T extends EventType> = EventDataByType[T];

const BY_TYPE: ReadonlyMap<string, CatalogueEntry> = new Map(CATALOGUE.map((e) => [e.type, e]));

/** Thrown for a type string that is not in the catalogue. */
export class UnknownEventTypeException extends Error {
  override readonly name = 'UnknownEventTypeException';

  constructor(readonly eventType: string) {
    super(`'${eventType}' is not an event type of the catalogue (schemas/catalogue.json)`);
  }
}

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && BY_TYPE.has(value);
}

/** The entry of a catalogued type, or undefined for any other string. */
export function findCatalogueEntry(type: string): CatalogueEntry | undefined {
  return BY_TYPE.get(type);
}

/** The entry of `type`; throws UnknownEventTypeException for a type not in the catalogue. */
export function catalogueEntry<T extends EventType>(type: T): CatalogueEntryOf<T>;
export function catalogueEntry(type: string): CatalogueEntry;
export function catalogueEntry(type: string): CatalogueEntry {
  const entry = BY_TYPE.get(type);
  if (!entry) throw new UnknownEventTypeException(type);
  return entry;
}

/** The schema registry subject of `type` (`<topic>-value`); throws for a type not in the catalogue. */
export function subjectFor(type: string): string {
  return catalogueEntry(type).subject;
}
