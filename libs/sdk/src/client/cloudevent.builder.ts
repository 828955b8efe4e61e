// Builds the structured CloudEvent an agency publishes. Browser-safe.
import type { EventData, EventType } from '@rabt/contracts';
import type { CloudEventAttributes, PublishOptions } from '../cloudevent.types';

/** The `source` of every event an agency publishes; the gateway refuses any other (403 SOURCE_SPOOFED). */
export const agencySource = (agency: string): string => `urn:rabt:agency:${agency}`;

/** A structured CloudEvent of one type `T` (not distributed over the catalogue). */
export type CloudEventOf<T extends EventType> = Omit<CloudEventAttributes, 'type'> & { readonly type: T; readonly data: EventData<T> };

/**
 * The structured CloudEvent for `data` of `type`, published by `agency`: `source` is the agency's
 * URN, `id` a random UUID unless given. `time` is left to the gateway unless given, so that
 * publishing the same id again (a retry) is the same content to the gateway's idempotency check.
 */
export function buildCloudEvent<T extends EventType>(agency: string, type: T, data: EventData<T>, options: PublishOptions = {}): CloudEventOf<T> {
  if (!agency) throw new TypeError('agency is required (its code, e.g. "mom")');
  const time = options.time instanceof Date ? options.time.toISOString() : options.time;
  return {
    specversion: '1.0',
    id: options.id ?? globalThis.crypto.randomUUID(),
    source: agencySource(agency),
    type,
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(time !== undefined ? { time } : {}),
    ...(options.dataschema !== undefined ? { dataschema: options.dataschema } : {}),
    ...(options.transactionid !== undefined ? { transactionid: options.transactionid } : {}),
    data,
  };
}
