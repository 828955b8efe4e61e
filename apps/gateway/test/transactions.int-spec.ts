// GET /v1/transactions/{id} on the real gateway (in process) and Postgres, over rows as the
// workflow service writes them: parties and the operator read it; to other agencies it does not
// exist (404, the same answer as an unknown id).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_PEPPER, issueAgencyKey } from '@rabt/auth';
import { WorkflowStepEntity, WorkflowTimelineEntity, WorkflowTransactionEntity } from '@rabt/persistence';
import { get } from './fixtures';
import { startGateway, type GatewayHarness } from './gateway.harness';

let gw: GatewayHarness;
let mohKey: string;
const id = `tx-${randomUUID()}`;
const t = (s: number) => new Date(Date.UTC(2026, 10, 30, 8, 0, s));

beforeAll(async () => {
  gw = await startGateway();
  mohKey = (await issueAgencyKey(gw.db.manager, DEVELOPMENT_PEPPER, 'moh', 'test')).token;
  await gw.db.getRepository(WorkflowTransactionEntity).insert({
    id,
    workflow: 'employee-left-work',
    workflowVersion: 1,
    state: 'running',
    triggerType: 'mom.employee.left-work-reported',
    triggerAgency: 'mom',
    withdrawalType: 'mom.employee.left-work-withdrawn',
    withdrawalAgency: 'mom',
    parties: ['mom', 'rop', 'moci'],
    startedAt: t(0),
    completedAt: null,
    withdrawnAt: null,
    updatedAt: t(5),
  });
  const step = { transactionId: id, slaMs: '86400000', becameCurrentAt: null, slaDueAt: null, completedAt: null, eventSource: null, eventId: null, breachedAt: null, compensationAgency: null, compensationAwaits: null, compensationSlaMs: null };
  await gw.db.getRepository(WorkflowStepEntity).insert([
    { ...step, seq: 0, name: 'register-absconding', agency: 'rop', awaits: 'rop.residence.absconding-registered', state: 'completed', becameCurrentAt: t(0), slaDueAt: t(10), completedAt: t(12), eventSource: 'urn:rabt:agency:rop', eventId: 'rop-1', breachedAt: t(11) },
    { ...step, seq: 1, name: 'update-labour-record', agency: 'moci', awaits: 'moci.employer.labour-record-updated', state: 'waiting', becameCurrentAt: t(12), slaDueAt: t(40) },
    { ...step, seq: 2, name: 'suspend-work-permit', agency: 'mom', awaits: 'mom.work-permit.suspended', state: 'pending' },
  ]);
  // Inserted out of order: the answer is in time order.
  await gw.db.getRepository(WorkflowTimelineEntity).insert([
    { transactionId: id, at: t(12), agency: 'ita', eventType: 'rabt.transaction.step-completed', eventId: 'e-3', what: 'Step register-absconding completed by ROP' },
    { transactionId: id, at: t(0), agency: 'mom', eventType: 'mom.employee.left-work-reported', eventId: 'report-1', what: 'reported — transaction started' },
    { transactionId: id, at: t(11), agency: 'ita', eventType: 'rabt.transaction.sla-breached', eventId: 'e-2', what: 'Step register-absconding (ROP) passed its SLA' },
    { transactionId: id, at: t(12), agency: 'rop', eventType: 'rop.residence.absconding-registered', eventId: 'rop-1', what: 'ROP registered' },
  ]);
});
afterAll(async () => {
  await gw?.close();
});

describe('GET /v1/transactions/{id}', () => {
  it('a party sees the workflow, its state, every step and the timeline in time order', async () => {
    const res = await get(`${gw.url}/v1/transactions/${id}`, gw.keys.mom);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      id,
      workflow: 'employee-left-work',
      workflowVersion: 1,
      state: 'running',
      startedAt: t(0).toISOString(),
      completedAt: null,
      steps: [
        { name: 'register-absconding', agency: 'rop', awaits: 'rop.residence.absconding-registered', state: 'completed', becameCurrentAt: t(0).toISOString(), slaDueAt: t(10).toISOString(), completedAt: t(12).toISOString(), eventId: 'rop-1', breachedAt: t(11).toISOString() },
        { name: 'update-labour-record', agency: 'moci', awaits: 'moci.employer.labour-record-updated', state: 'waiting', becameCurrentAt: t(12).toISOString(), slaDueAt: t(40).toISOString(), completedAt: null, eventId: null, breachedAt: null },
        { name: 'suspend-work-permit', agency: 'mom', awaits: 'mom.work-permit.suspended', state: 'pending', becameCurrentAt: null, slaDueAt: null, completedAt: null, eventId: null, breachedAt: null },
      ],
      timeline: [
        { at: t(0).toISOString(), agency: 'mom', type: 'mom.employee.left-work-reported', eventId: 'report-1', what: 'reported — transaction started' },
        { at: t(11).toISOString(), agency: 'ita', type: 'rabt.transaction.sla-breached', eventId: 'e-2', what: 'Step register-absconding (ROP) passed its SLA' },
        { at: t(12).toISOString(), agency: 'ita', type: 'rabt.transaction.step-completed', eventId: 'e-3', what: 'Step register-absconding completed by ROP' },
        { at: t(12).toISOString(), agency: 'rop', type: 'rop.residence.absconding-registered', eventId: 'rop-1', what: 'ROP registered' },
      ],
    });
  });

  it('every party (mom, rop, moci) and the operator (ita) get 200', async () => {
    for (const key of [gw.keys.mom, gw.keys.rop, gw.keys.moci, gw.keys.ita]) {
      const res = await get(`${gw.url}/v1/transactions/${id}`, key);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(id);
    }
  });

  it('an agency not party to it gets the very answer an unknown id gets: 404 TRANSACTION_NOT_FOUND, no existence oracle', async () => {
    const unknown = `tx-${randomUUID()}`;
    const notParty = await get(`${gw.url}/v1/transactions/${id}`, mohKey);
    const missing = await get(`${gw.url}/v1/transactions/${unknown}`, mohKey);
    for (const res of [notParty, missing]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'TRANSACTION_NOT_FOUND', status: 404 });
    }
    // Identical but for the id asked about (both ids have the same length).
    expect(JSON.stringify(notParty.body).replaceAll(id, '<id>')).toBe(JSON.stringify(missing.body).replaceAll(unknown, '<id>'));
    expect(notParty.headers.get('content-length')).toBe(missing.headers.get('content-length'));
    expect(JSON.stringify(notParty.body)).not.toMatch(/register-absconding|parties|rop|moci/);
  });

  it('an unknown id gets 404 TRANSACTION_NOT_FOUND, for parties and others alike', async () => {
    for (const key of [gw.keys.mom, mohKey]) {
      const res = await get(`${gw.url}/v1/transactions/tx-${randomUUID()}`, key);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'TRANSACTION_NOT_FOUND' });
    }
  });

  it('without an API key: 401', async () => {
    const res = await get(`${gw.url}/v1/transactions/${id}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('is in the OpenAPI document', async () => {
    const res = await get(`${gw.url}/docs-json`);
    const op = res.body.paths['/v1/transactions/{id}'].get;
    expect(op.summary).toMatch(/transaction/);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '404']);
  });
});
