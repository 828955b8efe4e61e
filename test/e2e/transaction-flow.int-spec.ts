import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { catalogueEntry, EventTypes, registerCatalogueSchemas, type EventData } from '@rabt/contracts';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { RabtClient, type TransactionView } from '@rabt/sdk';
import {
  createThrowawayDatabase,
  ephemeralBroker,
  eventually,
  freePort,
  provisionSimulatedAgencies,
  simulatorEnv,
  startBuiltService,
  WORKSPACE_ROOT,
  type ServiceProcess,
  type ThrowawayDatabase,
} from '@rabt/testing';

// Cross-agency transactions, black box: every service started from dist/ (gateway, registry,
// router, dispatcher, workflow) and the agency simulators as the back offices of mom, rop and
// moci, which receive signed webhooks and publish their follow-ups through the gateway. The test
// files reports as MoM and reads each transaction as MoM does: GET /v1/transactions/{id}.
const SLA = '4s';
const report = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', EventTypes.MomEmployeeLeftWorkReported, 'ok', 'absconded-seeb.json'), 'utf8')) as EventData<typeof EventTypes.MomEmployeeLeftWorkReported>;
const AGENCIES = ['mom', 'rop', 'moci', 'epay'] as const;

type Tx = TransactionView;

const broker = ephemeralBroker(20192);
let database: ThrowawayDatabase;
let db: DataSource;
const tokens: Record<string, string> = {};
const services: Record<string, ServiceProcess> = {};
const ports: Record<string, number> = {};
let workflowEnv: Record<string, string>;
const clients: Record<string, RabtClient> = {};

let counter = 0;
/** A report for a worker of its own (one transaction each). */
function newReport(): EventData<typeof EventTypes.MomEmployeeLeftWorkReported> {
  counter++;
  return { ...report, reportId: `LWR-E2E-${Date.now().toString(36)}-${counter}`, workerCivilNumber: String(300_000_000 + counter) };
}

async function transaction(id: string, agency = 'mom'): Promise<{ status: number; body: Tx }> {
  const res = await fetch(`${services['gateway']!.url}/v1/transactions/${id}`, { headers: { authorization: `Bearer ${tokens[agency]}` } });
  return { status: res.status, body: (await res.json()) as Tx };
}

async function until(id: string, probe: (tx: Tx) => boolean, timeoutMs = 45_000): Promise<Tx> {
  let last: Tx | undefined;
  await eventually(async () => {
    const res = await transaction(id);
    if (res.status !== 200) return false;
    last = res.body;
    return probe(res.body);
  }, timeoutMs, 200).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; last seen: ${JSON.stringify(last)}`);
  });
  return last!;
}

const control = (agency: string, body: Record<string, unknown>) => fetch(`http://127.0.0.1:${ports[agency]}/control`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const types = (tx: Tx) => tx.timeline.map((e) => e.type);
const count = (tx: Tx, type: string) => tx.timeline.filter((e) => e.type === type).length;

async function file(): Promise<{ tx: string; report: EventData<typeof EventTypes.MomEmployeeLeftWorkReported> }> {
  const r = newReport();
  const accepted = await clients['mom']!.publish(EventTypes.MomEmployeeLeftWorkReported, r, { subject: r.reportId });
  expect(accepted.transactionid).toBeTruthy();
  return { tx: accepted.transactionid!, report: r };
}

beforeAll(async () => {
  await broker.start();
  database = await createThrowawayDatabase('rabt_tx_flow');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'tx-flow-test');
  db = createDataSource({ url: database.url, poolMax: 2, ssl: false }, 'tx-flow-test');
  await db.initialize();
  await seedAgencies(db);
  for (const agency of [...AGENCIES, 'moh']) tokens[agency] = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, agency, 'tx flow test')).token;
  const integrator = (await issueAgencyKey(db.manager, DEVELOPMENT_PEPPER, 'ita', 'services', ['integrator'])).token;

  services['schema-registry'] = await startBuiltService('schema-registry', { DATABASE_URL: serviceDatabaseUrl(database.url, 'schema-registry') }, 'SCHEMA_REGISTRY_PORT');
  await registerCatalogueSchemas(services['schema-registry'].url, { username: 'ita', password: integrator });
  const env = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: broker.brokers,
    SCHEMA_REGISTRY_URL: services['schema-registry'].url,
    SCHEMA_REGISTRY_USERNAME: 'ita',
    SCHEMA_REGISTRY_PASSWORD: integrator,
    RABT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ROUTER_SESSION_TIMEOUT_MS: '6000',
    ROUTER_SUBSCRIPTION_REFRESH_MS: '200',
    ROUTER_INSTANCE_ID: 'tx-flow-router',
    DISPATCHER_SESSION_TIMEOUT_MS: '6000',
    DISPATCHER_SUBSCRIPTION_CACHE_MS: '200',
    DISPATCHER_TOPIC_REFRESH_MS: '1000',
    DISPATCHER_POLL_MS: '50',
    DISPATCHER_RETRY_SCHEDULE: '200ms,400ms,800ms,1s,2s',
    GATEWAY_RATE_PER_SECOND: '100000',
    GATEWAY_RATE_BURST: '100000',
  };
  services['gateway'] = await startBuiltService('gateway', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'gateway') }, 'GATEWAY_PORT');
  const gatewayUrl = services['gateway'].url;
  for (const agency of AGENCIES) {
    ports[agency] = await freePort();
    clients[agency] = new RabtClient({ baseUrl: gatewayUrl, apiKey: tokens[agency]!, agency });
  }
  const secrets = await provisionSimulatedAgencies({
    gatewayUrl,
    tokens: Object.fromEntries(AGENCIES.map((a) => [a, tokens[a]!])),
    ownerOf: (type) => catalogueEntry(type).owner,
    webhookUrl: (agency) => `http://127.0.0.1:${ports[agency]}/webhook`,
  });
  services['router'] = await startBuiltService('router', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'router') }, 'ROUTER_PORT');
  services['dispatcher'] = await startBuiltService('dispatcher', { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'dispatcher') }, 'DISPATCHER_PORT');
  workflowEnv = { ...env, DATABASE_URL: serviceDatabaseUrl(database.url, 'workflow'), WORKFLOW_SLA_OVERRIDE: SLA, WORKFLOW_GROUP_ID: 'rabt-workflow-tx-flow', WORKFLOW_SESSION_TIMEOUT_MS: '6000', WORKFLOW_TIMER_POLL_MS: '200', WORKFLOW_OUTBOX_POLL_MS: '100' };
  services['workflow'] = await startBuiltService('workflow', workflowEnv, 'WORKFLOW_PORT');
  services['simulator'] = await startBuiltService('agency-simulator', { ...simulatorEnv(gatewayUrl, tokens, secrets, ports), SIM_DELAY_MS: '20-60', LOG_LEVEL: 'warn' }, 'SIM_MOM_PORT', { port: ports['mom']! });
}, 300_000);

afterAll(async () => {
  for (const s of Object.values(services).reverse()) await s.kill();
  await db?.destroy();
  await database?.drop();
  await broker.destroy();
});

beforeEach(async () => {
  for (const agency of AGENCIES) expect((await control(agency, { mode: 'act', failureRate: 0 })).status).toBe(200);
});

describe('cross-agency transactions through the agency simulators', () => {
  it('one report: rop, moci and mom act in turn, the transaction completes, its timeline tells it in order', async () => {
    const { tx } = await file();
    const done = await until(tx, (t) => t.state === 'completed');
    expect(done.workflow).toBe('employee-left-work');
    expect(done.steps.map((s) => [s.name, s.agency, s.state])).toEqual([
      ['register-absconding', 'rop', 'completed'],
      ['update-labour-record', 'moci', 'completed'],
      ['suspend-work-permit', 'mom', 'completed'],
    ]);
    // Each step was completed by the simulator's follow-up (stable id agency:type:transaction).
    expect(done.steps.map((s) => s.eventId)).toEqual([`rop:${EventTypes.RopResidenceAbscondingRegistered}:${tx}`, `moci:${EventTypes.MociEmployerLabourRecordUpdated}:${tx}`, `mom:${EventTypes.MomWorkPermitSuspended}:${tx}`]);
    const agencyEvents = done.timeline.filter((e) => !e.type.startsWith('rabt.'));
    expect(agencyEvents.map((e) => `${e.agency} ${e.type}`)).toEqual([
      `mom ${EventTypes.MomEmployeeLeftWorkReported}`,
      `rop ${EventTypes.RopResidenceAbscondingRegistered}`,
      `moci ${EventTypes.MociEmployerLabourRecordUpdated}`,
      `mom ${EventTypes.MomWorkPermitSuspended}`,
    ]);
    expect(count(done, EventTypes.RabtTransactionStepCompleted)).toBe(3);
    expect(count(done, EventTypes.RabtTransactionCompleted)).toBe(1);
    expect(count(done, EventTypes.RabtTransactionSlaBreached)).toBe(0);
    expect(types(done).at(-1)).toBe(EventTypes.RabtTransactionCompleted);
    const times = done.timeline.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(done.completedAt).not.toBeNull();
    // Parties see it; an agency that is not party to it does not.
    expect((await transaction(tx, 'rop')).status).toBe(200);
    expect((await transaction(tx, 'moh')).status).toBe(404); // the same 404 as an unknown id: no existence oracle
  });

  it('a stalled back office breaches its step SLA once; the step still completes when its event comes late', async () => {
    expect((await control('moci', { mode: 'stall' })).status).toBe(200);
    const { tx, report: r } = await file();
    const breached = await until(tx, (t) => t.steps[1]!.state === 'breached');
    expect(breached.steps[0]!.state).toBe('completed');
    expect(breached.steps[1]!.breachedAt).not.toBeNull();
    expect(breached.state).toBe('running');
    // MOCI's officer does it by hand, late, through the same SDK.
    await clients['moci']!.publish(
      EventTypes.MociEmployerLabourRecordUpdated,
      { employerCrNumber: r.employerCrNumber, workerCivilNumber: r.workerCivilNumber, relatedReportId: r.reportId, labourRecordAction: 'WORKER_FLAGGED', activeWorkersAfter: 41, updatedAt: Date.now(), updatedBy: 'MOCI-LR-10482' },
      { transactionid: tx },
    );
    const done = await until(tx, (t) => t.state === 'completed');
    // Once for MOCI's step, however long it stayed open (another step may breach too on a slow machine).
    const breaches = done.timeline.filter((e) => e.type === EventTypes.RabtTransactionSlaBreached && e.what.includes('update-labour-record'));
    expect(breaches).toHaveLength(1);
    expect(done.steps[1]!.breachedAt).not.toBeNull();
    expect(done.steps[1]!.completedAt).not.toBeNull();
  });

  it('a withdrawal half-way compensates: the agencies that acted undo their steps, the one that had not is skipped', async () => {
    expect((await control('mom', { mode: 'stall' })).status).toBe(200);
    const { tx, report: r } = await file();
    await until(tx, (t) => t.steps[1]!.state === 'completed');
    await clients['mom']!.publish(
      EventTypes.MomEmployeeLeftWorkWithdrawn,
      { reportId: r.reportId, workerCivilNumber: r.workerCivilNumber, employerCrNumber: r.employerCrNumber, withdrawalReason: 'The worker returned the next day', withdrawnAt: Date.now(), withdrawnBy: r.reportedBy },
      { transactionid: tx },
    );
    const done = await until(tx, (t) => t.state === 'compensated');
    expect(done.steps.map((s) => s.state)).toEqual(['compensated', 'compensated', 'skipped']);
    const undo = done.timeline.filter((e) => [EventTypes.RopResidenceAbscondingCancelled, EventTypes.MociEmployerLabourRecordReverted, EventTypes.MomWorkPermitReinstated].includes(e.type as never));
    // ROP and MOCI undo what they did; MoM, which had not acted, has nothing to reinstate.
    expect(undo).toHaveLength(2);
    expect(new Set(undo.map((e) => e.type))).toEqual(new Set([EventTypes.MociEmployerLabourRecordReverted, EventTypes.RopResidenceAbscondingCancelled]));
    expect(count(done, EventTypes.RabtTransactionCompensated)).toBe(1);
    expect(count(done, EventTypes.RabtTransactionCompleted)).toBe(0);
  });

  it('an early event (step 2 before step 1) and a second one for the same step neither skip a step nor advance twice', async () => {
    expect((await control('rop', { mode: 'stall' })).status).toBe(200);
    const { tx, report: r } = await file();
    await until(tx, (t) => t.steps[0]!.state === 'waiting');
    const labour = (updatedBy: string) => ({ employerCrNumber: r.employerCrNumber, workerCivilNumber: r.workerCivilNumber, relatedReportId: r.reportId, labourRecordAction: 'WORKER_FLAGGED' as const, activeWorkersAfter: 17, updatedAt: Date.now(), updatedBy });
    const early = await clients['moci']!.publish(EventTypes.MociEmployerLabourRecordUpdated, labour('MOCI-LR-EARLY'), { transactionid: tx });
    const again = await clients['moci']!.publish(EventTypes.MociEmployerLabourRecordUpdated, labour('MOCI-LR-AGAIN'), { transactionid: tx });
    // The early event is held: step 1 is still the one waiting, step 2 has not completed.
    const held = await until(tx, (t) => t.timeline.some((e) => e.eventId === again.id));
    expect(held.steps.map((s) => s.state)).toEqual(['waiting', 'pending', 'pending']);
    expect(count(held, EventTypes.RabtTransactionStepCompleted)).toBe(0);
    // ROP acts (by hand here); MOCI's simulator then also publishes its own update: a third one.
    await clients['rop']!.publish(
      EventTypes.RopResidenceAbscondingRegistered,
      { caseNumber: 'ROP/MCT/SEB/2026/04410', workerCivilNumber: r.workerCivilNumber, residencePermitNumber: `RP-${r.workerCivilNumber}-24`, residencePermitStatus: 'FLAGGED_ABSCONDING', relatedReportId: r.reportId, registeredAt: Date.now(), registeringOfficer: { officerId: 'ROP-48211', nameEn: 'Hamad Nasser Al Hinai', nameAr: 'حمد بن ناصر الهنائي', rank: 'Captain' }, policeStation: 'Seeb Police Station', travelBanImposed: true },
      { transactionid: tx },
    );
    const done = await until(tx, (t) => t.state === 'completed');
    expect(done.steps.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
    expect(done.steps[1]!.eventId).toBe(early.id);
    expect(count(done, EventTypes.RabtTransactionStepCompleted)).toBe(3);
    expect(count(done, EventTypes.RabtTransactionCompleted)).toBe(1);
    expect(count(done, EventTypes.MomWorkPermitSuspended)).toBe(1); // MoM acted once
  });

  it('the second workflow, configuration only: a worker-service transfer runs through epay, rop and mom to completed', async () => {
    const request = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', EventTypes.MomWorkerServiceTransferRequested, 'ok', 'electrician-muscat-with-consent.json'), 'utf8')) as EventData<typeof EventTypes.MomWorkerServiceTransferRequested>;
    const accepted = await clients['mom']!.publish(EventTypes.MomWorkerServiceTransferRequested, { ...request, requestId: `WST-E2E-${Date.now().toString(36)}` });
    const done = await until(accepted.transactionid!, (t) => t.state === 'completed');
    expect(done.workflow).toBe('worker-service-transfer');
    expect(done.steps.map((s) => `${s.agency} ${s.state}`)).toEqual(['epay completed', 'rop completed', 'mom completed']);
    expect(done.timeline.filter((e) => !e.type.startsWith('rabt.')).map((e) => e.type)).toEqual([
      EventTypes.MomWorkerServiceTransferRequested,
      EventTypes.EpayPaymentFeeSettled,
      EventTypes.RopResidenceSponsorTransferred,
      EventTypes.MomWorkerServiceTransferApproved,
    ]);
    expect((await transaction(accepted.transactionid!, 'epay')).status).toBe(200);
    expect((await transaction(accepted.transactionid!, 'moci')).status).toBe(404);
  });

  it('kill -9 of the workflow service mid-stream: after a restart every transaction completes, none advanced twice', async () => {
    const filed: string[] = [];
    for (let i = 0; i < 12; i++) filed.push((await file()).tx);
    await eventually(async () => (await transaction(filed[0]!)).body.steps?.[0]?.state === 'completed', 30_000, 50);
    await services['workflow']!.kill();
    // Frozen at the crash (the gateway reads what the workflow service had written): some were mid-way.
    const atCrash = await Promise.all(filed.map(async (tx) => (await transaction(tx)).body.state));
    expect(atCrash.filter((s) => s !== 'completed').length).toBeGreaterThan(0);
    for (let i = 0; i < 6; i++) filed.push((await file()).tx); // filed while the workflow service is down
    services['workflow'] = await startBuiltService('workflow', workflowEnv, 'WORKFLOW_PORT');
    for (const tx of filed) {
      const done = await until(tx, (t) => t.state === 'completed', 90_000);
      expect(count(done, EventTypes.RabtTransactionStepCompleted), tx).toBe(3);
      expect(count(done, EventTypes.RabtTransactionCompleted), tx).toBe(1);
      expect(done.steps.every((s) => s.state === 'completed'), tx).toBe(true);
    }
  }, 180_000);
});
