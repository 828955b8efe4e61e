// Pure validation of what a caller sends to create or list subscriptions (an HTTP body, CLI
// arguments): shape only. Whether the type exists, the agency is granted, the filter compiles,
// the projection fits the schema and the URL is safe is checked by subscriptions.ts.
import { z } from 'zod';
import { AGENCY_CODE } from '@rabt/auth';
import { SUBSCRIPTION_STATES, type SubscriptionState } from '@rabt/persistence';
import { MAX_FILTER_LENGTH } from './cel-filter';
import { SubscriptionExceptionCode as Code, subscriptionError } from './subscription.exception';
import { MAX_WEBHOOK_URL_LENGTH } from './webhook-url';

const MAX_PROJECTED_FIELDS = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A subscription as asked for. */
export interface NewSubscription {
  /** The subscriber; the gateway fills in the calling agency. */
  readonly agency: string;
  readonly eventType: string;
  /** CEL over `event` and `data`; absent or null = every event. */
  readonly filter?: string | null;
  /** Top-level data fields to receive; absent or null = every field. */
  readonly projection?: readonly string[] | null;
  readonly webhook?: { readonly url: string } | null;
  /** Also (or only) deliver to the Kafka topic rabt.inbox.<agency>. */
  readonly inbox?: boolean;
}

export interface ValidNewSubscription {
  readonly agency: string;
  readonly eventType: string;
  readonly filter: string | null;
  readonly projection: readonly string[] | null;
  readonly webhookUrl: string | null;
  readonly inbox: boolean;
}

export interface SubscriptionFilter {
  readonly agency?: string;
  readonly eventType?: string;
  readonly state?: SubscriptionState;
}

const required = (type: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${type}`) });
const object = { error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys!.map((k) => `'${k}'`).join(', ')}` : 'must be a JSON object') };

const agency = z.string(required('a string')).regex(AGENCY_CODE, 'must be an agency code: a lower-case letter, then 1 to 15 lower-case letters or digits (e.g. rop)');
const eventType = z.string(required('a string')).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const newSubscriptionSchema = z.strictObject(
    {
      agency,
      eventType,
      filter: z.string(required('a string (a CEL expression) or null')).max(MAX_FILTER_LENGTH, `must be at most ${MAX_FILTER_LENGTH} characters`).nullable().optional(),
      projection: z
        .array(z.string(required('a field name')).min(1, 'must not be empty').max(200, 'is too long'), required('an array of field names or null'))
        .min(1, 'must name at least one field (leave it out to receive every field)')
        .max(MAX_PROJECTED_FIELDS, `must name at most ${MAX_PROJECTED_FIELDS} fields`)
        .nullable()
        .optional(),
      webhook: z
        .strictObject({ url: z.string(required('a string')).trim().min(1, 'must not be empty').max(MAX_WEBHOOK_URL_LENGTH, `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`) }, object)
        .nullable()
        .optional(),
      inbox: z.boolean(required('true or false')).optional(),
    },
    object,
  );
const filterSchema = z.strictObject({ agency: agency.optional(), eventType: eventType.optional(), state: z.enum(SUBSCRIPTION_STATES, { error: `must be ${SUBSCRIPTION_STATES.join(' or ')}` }).optional() }, object);

const NO_DELIVERY = 'no delivery method: give a webhook ({"url": "https://…"}) or "inbox": true, or both';

function refuse(what: string, errors: readonly { path: string; message: string }[]): never {
  throw subscriptionError(Code.INVALID_SUBSCRIPTION, `${what}: ${errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join('; ')}`, { errors });
}

const issues = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  return result.success ? result.data : refuse(what, issues(result.error));
}

/** The shape of a new subscription; INVALID_SUBSCRIPTION naming every problem. */
export function validateNewSubscription(input: unknown): ValidNewSubscription {
  const result = newSubscriptionSchema.safeParse(input);
  const errors = result.success ? [] : issues(result.error);
  const given = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  if (given && (given['webhook'] === undefined || given['webhook'] === null) && given['inbox'] !== true) errors.push({ path: 'webhook', message: NO_DELIVERY });
  if (!result.success || errors.length > 0) return refuse('invalid subscription', errors);
  const s = result.data;
  return {
    agency: s.agency,
    eventType: s.eventType,
    filter: s.filter ?? null,
    projection: s.projection ?? null,
    webhookUrl: s.webhook?.url ?? null,
    inbox: s.inbox === true,
  };
}

export function validateSubscriptionFilter(input: unknown): SubscriptionFilter {
  const filter = parse(filterSchema, input ?? {}, 'invalid subscription filter');
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as SubscriptionFilter;
}

/** A subscription id; anything that is not a UUID cannot name one (SUBSCRIPTION_NOT_FOUND). */
export function validateSubscriptionId(id: unknown): string {
  if (typeof id !== 'string' || !UUID.test(id.trim())) throw subscriptionError(Code.SUBSCRIPTION_NOT_FOUND, `no subscription '${String(id)}': a subscription id is a UUID, as listed`);
  return id.trim().toLowerCase();
}
