import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventTypes, RabtProblemError, type EventType, type PublishOptions } from '@rabt/sdk';
import type { AgencyConfig } from '../config/simulator.config';
import { BackOffice, type Publisher } from './back-office';
import type { DeliveredEvent } from './reaction';

const ROOT = join(__dirname, '..', '..', '..', '..');
const report = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/mom.employee.left-work-reported/ok/absconded-seeb.json'), 'utf8')) as Record<string, unknown>;
const config: AgencyConfig = { agency: 'rop', apiKey: 'k', webhookSecrets: ['whsec_x'], port: 1, delay: { minMs: 0, maxMs: 0 }, failureRate: 0, mode: 'act' };
const silent = { info: () => undefined, warn: () => undefined };

class FakeGateway implements Publisher {
  readonly calls: { type: EventType; data: unknown; options: PublishOptions }[] = [];
  failWith?: Error;
  async publish(type: EventType, data: never, options: PublishOptions) {
    if (this.failWith) throw this.failWith;
    this.calls.push({ type, data, options });
    return { id: options.id!, transactionid: options.transactionid ?? null, topic: type, partition: 0, offset: String(this.calls.length) };
  }
}

const reportFor = (tx: string | undefined): DeliveredEvent => ({ id: `r-${tx}`, source: 'urn:rabt:agency:mom', type: EventTypes.MomEmployeeLeftWorkReported, ...(tx ? { transactionid: tx } : {}), data: report });

function office(overrides: Partial<AgencyConfig> = {}, random = () => 0.5) {
  const gateway = new FakeGateway();
  return { gateway, office: new BackOffice({ ...config, ...overrides }, gateway, silent, random, async () => undefined, () => new Date('2026-11-30T08:00:00Z')) };
}

describe('a simulated back office', () => {
  it('publishes the follow-up with the transaction id copied over and a stable event id', async () => {
    const { gateway, office: rop } = office();
    expect(await rop.handle('msg_1', reportFor('tx-1'))).toEqual({ kind: 'handled', published: [EventTypes.RopResidenceAbscondingRegistered] });
    expect(gateway.calls).toHaveLength(1);
    expect(gateway.calls[0]!.options).toEqual({ id: `rop:${EventTypes.RopResidenceAbscondingRegistered}:tx-1`, transactionid: 'tx-1', subject: report['reportId'] });
  });

  it('handles a webhook-id once, even when the redelivery arrives while the first is in progress', async () => {
    const { gateway, office: rop } = office();
    const [a, b] = await Promise.all([rop.handle('msg_1', reportFor('tx-1')), rop.handle('msg_1', reportFor('tx-1'))]);
    expect([a.kind, b.kind].sort()).toEqual(['duplicate', 'handled']);
    expect((await rop.handle('msg_1', reportFor('tx-1'))).kind).toBe('duplicate');
    expect(gateway.calls).toHaveLength(1);
    expect(rop.stats.duplicates).toBe(2);
  });

  it('a second delivery of the same business event under another webhook-id does not act twice', async () => {
    const { gateway, office: rop } = office();
    await rop.handle('msg_1', reportFor('tx-1'));
    expect(await rop.handle('msg_2', reportFor('tx-1'))).toEqual({ kind: 'handled', published: [] });
    expect(gateway.calls).toHaveLength(1);
  });

  it('injected failures are not remembered, so the retry is handled', async () => {
    let next = 0;
    const draws = [0.1, 0.9, 0.9];
    const { gateway, office: rop } = office({ failureRate: 0.5 }, () => draws[next++] ?? 0.9);
    expect((await rop.handle('msg_1', reportFor('tx-1'))).kind).toBe('injected-failure');
    expect((await rop.handle('msg_1', reportFor('tx-1'))).kind).toBe('handled');
    expect(gateway.calls).toHaveLength(1);
  });

  it('stall mode accepts and never acts', async () => {
    const { gateway, office: rop } = office({ mode: 'stall' });
    expect((await rop.handle('msg_1', reportFor('tx-1'))).kind).toBe('stalled');
    expect(gateway.calls).toHaveLength(0);
  });

  it('an event without a transaction id is acknowledged and ignored', async () => {
    const { gateway, office: rop } = office();
    expect((await rop.handle('msg_1', reportFor(undefined))).kind).toBe('uncorrelated');
    expect(gateway.calls).toHaveLength(0);
  });

  it('a failed publish throws and leaves the webhook-id unremembered; an IDEMPOTENCY_CONFLICT counts as already done', async () => {
    const { gateway, office: rop } = office();
    gateway.failWith = new Error('gateway down');
    await expect(rop.handle('msg_1', reportFor('tx-1'))).rejects.toThrow('gateway down');
    gateway.failWith = new RabtProblemError({ title: 'conflict', status: 409, code: 'IDEMPOTENCY_CONFLICT' });
    expect((await rop.handle('msg_1', reportFor('tx-1'))).kind).toBe('handled');
    expect((await rop.handle('msg_1', reportFor('tx-1'))).kind).toBe('duplicate');
  });

  it('a facts-missing answer is not remembered (the redelivery may bring them)', async () => {
    const { office: moci } = office({ agency: 'moci' });
    const registered: DeliveredEvent = { id: 'x', source: 'urn:rabt:agency:rop', type: EventTypes.RopResidenceAbscondingRegistered, transactionid: 'tx-1', data: { workerCivilNumber: '118364205', relatedReportId: 'LWR-1' } };
    expect((await moci.handle('msg_9', registered)).kind).toBe('not-yet');
    expect((await moci.handle('msg_r', reportFor('tx-1'))).kind).toBe('handled');
    expect(await moci.handle('msg_9', registered)).toEqual({ kind: 'handled', published: [EventTypes.MociEmployerLabourRecordUpdated] });
  });
});
