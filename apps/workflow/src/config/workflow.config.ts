import { z } from 'zod';
import { configTypes, databaseFragment, fragment, httpFragment, kafkaFragment, loadConfig, loggingFragment, parseDuration, schemaRegistryClientFragment } from '@rabt/config';

export const WORKFLOW_SERVICE = 'workflow';

/** How the workflow service finds its definitions, consumes, polls timers and relays its outbox. */
export abstract class WorkflowConfig {
  /** Folder of the versioned definitions (`<name>.v<N>.json`). */
  abstract readonly definitionsDir: string;
  /** When set, replaces every step's and compensation's SLA (tests and demos). */
  abstract readonly slaOverrideMs: number | undefined;
  abstract readonly groupId: string;
  /** Where a consumer group without committed offsets starts: `earliest` loses nothing published before. */
  abstract readonly startFrom: 'earliest' | 'latest';
  /** Partitions handled concurrently (transactions are serialised by a Postgres lock, not by partition). */
  abstract readonly concurrency: number;
  abstract readonly sessionTimeoutMs: number;
  /** How often due SLA timers are looked for. */
  abstract readonly timerPollMs: number;
  /** How often the outbox is looked at when nothing woke the relay. */
  abstract readonly outboxPollMs: number;
  /** How long an event is kept for a transaction that has not started or a step not yet current. */
  abstract readonly heldTtlMs: number;
  /** How often held events past heldTtlMs are looked for. */
  abstract readonly heldSweepMs: number;
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((value, ctx) => {
      try {
        parseDuration(value);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    });

const workflowFragment = () =>
  fragment({
    token: WorkflowConfig,
    env: {
      WORKFLOW_DEFINITIONS_DIR: z.string().min(1).default('workflows'),
      WORKFLOW_SLA_OVERRIDE: configTypes.checkedBy(parseDuration),
      WORKFLOW_GROUP_ID: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, { message: 'must be 1-200 characters of A-Z a-z 0-9 . _ -' }).default('rabt-workflow'),
      WORKFLOW_START_FROM: z.enum(['earliest', 'latest'], { message: 'must be earliest or latest' }).default('earliest'),
      WORKFLOW_CONCURRENCY: configTypes.positiveInt.max(64).default(4),
      WORKFLOW_SESSION_TIMEOUT_MS: configTypes.positiveInt.min(6_000, { message: 'must be at least 6000 (the broker minimum)' }).max(300_000).default(30_000),
      WORKFLOW_TIMER_POLL_MS: configTypes.positiveInt.default(500),
      WORKFLOW_OUTBOX_POLL_MS: configTypes.positiveInt.default(500),
      WORKFLOW_HELD_TTL: duration('7d'),
      WORKFLOW_HELD_SWEEP_MS: configTypes.positiveInt.default(60_000),
    },
    map: (e): WorkflowConfig => ({
      definitionsDir: e.WORKFLOW_DEFINITIONS_DIR,
      slaOverrideMs: e.WORKFLOW_SLA_OVERRIDE === undefined ? undefined : parseDuration(e.WORKFLOW_SLA_OVERRIDE),
      groupId: e.WORKFLOW_GROUP_ID,
      startFrom: e.WORKFLOW_START_FROM,
      concurrency: e.WORKFLOW_CONCURRENCY,
      sessionTimeoutMs: e.WORKFLOW_SESSION_TIMEOUT_MS,
      timerPollMs: e.WORKFLOW_TIMER_POLL_MS,
      outboxPollMs: e.WORKFLOW_OUTBOX_POLL_MS,
      heldTtlMs: parseDuration(e.WORKFLOW_HELD_TTL),
      heldSweepMs: e.WORKFLOW_HELD_SWEEP_MS,
    }),
  });

/** Everything the workflow service reads from its environment, validated once at start. */
export const workflowConfigFragments = () => ({
  http: httpFragment('WORKFLOW_PORT', 8085),
  logging: loggingFragment(WORKFLOW_SERVICE),
  kafka: kafkaFragment(`rabt-${WORKFLOW_SERVICE}`),
  database: databaseFragment(),
  registry: schemaRegistryClientFragment(),
  workflow: workflowFragment(),
});

export const loadWorkflowConfig = (env?: Record<string, string | undefined>) => loadConfig(WORKFLOW_SERVICE, workflowConfigFragments(), env);
export type WorkflowAppConfig = ReturnType<typeof loadWorkflowConfig>;
