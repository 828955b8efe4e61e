// Shapes of the generated catalogue (./generated/catalogue.generated.ts). Hand-written, type-only.
import type { CompatibilityLevel } from '@rabt/avro';

/** One field of an Avro record schema, as written in its .avsc file. */
export interface AvroFieldSchema {
  readonly name: string;
  readonly type: unknown;
  readonly doc?: string;
  readonly default?: unknown;
  readonly [attribute: string]: unknown;
}

/** The top-level Avro record of an event type, as written in its .avsc file. */
export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly fields: readonly AvroFieldSchema[];
  readonly [attribute: string]: unknown;
}

/** One event type of schemas/catalogue.json, with its schema and registry subject. */
export interface CatalogueEntry {
  /** CloudEvents `type`, e.g. `mom.employee.left-work-reported`. */
  readonly type: string;
  /** Kafka topic; always equal to `type`. */
  readonly topic: string;
  /** Schema registry subject (TopicNameStrategy): `<topic>-value`. */
  readonly subject: string;
  /** Code of the agency allowed to publish the type (`mom`, `rop`, …, `ita` for Rabt's own). */
  readonly owner: string;
  /** Top-level string field of the data whose value is the Kafka record key. */
  readonly partitionKey: string;
  readonly partitions: number;
  /** Kafka `retention.ms`; -1 keeps records forever. */
  readonly retentionMs: number;
  /** Compatibility level new versions of the schema must meet (BACKWARD unless the catalogue says otherwise). */
  readonly compatibility: CompatibilityLevel;
  /** True when an event of this type starts a cross-agency transaction. */
  readonly workflowTrigger: boolean;
  readonly description: { readonly en: string; readonly ar: string };
  /** The parsed .avsc file. */
  readonly schema: AvroRecordSchema;
}
