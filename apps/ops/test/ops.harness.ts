// The ops service under test on a fresh database: in process (`startOps`) or as the built
// service (`startBuiltOps`, for kill -9). Dead letters are either written here directly (for
// the API's rules) or made for real through gateway → router → dispatcher (pipeline.harness.ts).
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createOperator } from '@rabt/auth';
import type { DeadLetterErrorCode, OperatorRole } from '@rabt/ops-contracts';
import type { AgencyKafkaAccess } from '@rabt/pki';
import { createService } from '@rabt/runtime';
import { kafkaEnv, startBuiltService, type ServiceProcess } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadOpsConfig } from '../src/config/ops.config';
import { configureOpsHttp, opsExceptionFilter } from '../src/ops.http';
import { serviceDatabaseUrl } from '@rabt/persistence';

export const PASSWORD = 'correct horse battery staple';

export interface RunningOps {
  readonly url: string;
  close(): Promise<void>;
}

export async function startOps(databaseUrl: string, env: Record<string, string> = {}, options: { agencyKafkaAccess?: AgencyKafkaAccess } = {}): Promise<RunningOps> {
  const config = loadOpsConfig({ ...kafkaEnv('ops'), DATABASE_URL: serviceDatabaseUrl(databaseUrl, 'ops'), LOG_LEVEL: 'error', OPS_CONSOLE_DIR: '/nonexistent', OPS_REPLAY_POLL_MS: '200', ...env });
  const app: NestFastifyApplication = await createService({ rootModule: AppModule.forRoot(config, options), config, exceptionFilter: opsExceptionFilter(), configure: configureOpsHttp });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return { url, close: () => app.close() };
}

export const startBuiltOps = (databaseUrl: string, env: Record<string, string> = {}): Promise<ServiceProcess> =>
  startBuiltService('ops', { DATABASE_URL: serviceDatabaseUrl(databaseUrl, 'ops'), OPS_CONSOLE_DIR: '/nonexistent', OPS_REPLAY_POLL_MS: '200', ...env }, 'OPS_PORT');

export async function createAccount(db: DataSource, username: string, role: OperatorRole, agency?: string): Promise<void> {
  await createOperator(db.manager, { username, role, password: PASSWORD, ...(agency ? { agency } : {}) });
}

/** The session token of a sign-in answer: the rabt_ops_session cookie (never the body). */
export function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('rabt_ops_session='));
  if (!cookie) throw new Error('no rabt_ops_session cookie in the answer');
  return decodeURIComponent(cookie.slice('rabt_ops_session='.length).split(';')[0]!);
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** An API caller with a session (Bearer), as the CLI is. */
export class OpsCaller {
  constructor(
    readonly url: string,
    private token?: string,
  ) {}

  static async signIn(url: string, username: string, password = PASSWORD): Promise<OpsCaller> {
    const caller = new OpsCaller(url);
    const answer = await caller.call('POST', '/v1/session', { username, password });
    if (answer.status !== 200) throw new Error(`sign-in of ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    caller.token = sessionCookieOf(answer.headers);
    return caller;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
  }
}

export interface SeededDeadLetter {
  readonly id: string;
  readonly deliveryId: string;
}

/** A dead delivery and its dead letter, written as the dispatcher writes them. */
export async function seedDeadLetter(
  db: DataSource,
  options: { subscriber: string; publisher?: string; type?: string; data?: Record<string, unknown>; errorCode?: DeadLetterErrorCode; lastStatus?: number | null; transactionId?: string; createdAt?: Date } ,
): Promise<SeededDeadLetter> {
  const type = options.type ?? 'mom.employee.left-work-reported';
  const publisher = options.publisher ?? 'mom';
  const eventId = `evt-${randomUUID()}`;
  const deliveryId = `msg_${randomUUID().replace(/-/g, '')}`;
  const subscriptionId = randomUUID();
  const payload = { specversion: '1.0', id: eventId, source: `urn:rabt:agency:${publisher}`, type, data: options.data ?? { workerCivilNumber: '12345678' } };
  await db.query(
    `INSERT INTO delivery (id, subscription_id, agency_code, event_source, event_id, event_type, transaction_id, ordering_key, payload, state, attempts, last_status, last_error, inbox_topic, inbox_partition, inbox_offset, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, 'dead', 3, $10, 'gave up', $11, 0, 0, $12)`,
    [deliveryId, subscriptionId, options.subscriber, payload.source, eventId, type, options.transactionId ?? null, eventId, JSON.stringify(payload), options.lastStatus ?? 503, `rabt.inbox.${options.subscriber}`, options.createdAt ?? new Date()],
  );
  const [row] = (await db.query(
    `INSERT INTO dead_letter (delivery_id, subscription_id, agency_code, event_type, event_source, event_id, payload, last_status, last_error, attempts, error_code, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, 'gave up after 3 attempts', 3, $9, $10) RETURNING id`,
    [deliveryId, subscriptionId, options.subscriber, type, payload.source, eventId, JSON.stringify(payload), options.lastStatus ?? 503, options.errorCode ?? 'HTTP_5XX', options.createdAt ?? new Date()],
  )) as { id: string }[];
  return { id: row!.id, deliveryId };
}

/** Scrapes one metric from a service's /metrics. */
export { scrapeMetric as metric } from '@rabt/testing';
