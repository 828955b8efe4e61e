import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@rabt/testing';
import { startRouterHarness, type RouterHarness } from './router.harness';

const REPORTED = 'mom.employee.left-work-reported';
const fixture = (name: string) => JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', `${name}.json`), 'utf8')) as Record<string, unknown>;
const absconded = fixture('absconded-seeb');
const contractEnded = fixture('contract-ended-salalah-no-optionals');

let h: RouterHarness;
const subs: Record<string, string> = {};

beforeAll(async () => {
  h = await startRouterHarness(19592);
  subs['rop'] = await h.subscribe('rop', REPORTED, { filter: 'data.reason == "ABSCONDED"', projection: ['reason', 'lastWorkingDay', 'workerName'] });
  subs['moci'] = await h.subscribe('moci', REPORTED, { projection: ['employerCrNumber', 'workerCivilNumber'] });
  subs['mm'] = await h.subscribe('mm', REPORTED, { filter: 'data.workerLastKnownAddress.governorate == "Muscat"' });
  // moh subscribed while it held a grant; the grant is then revoked: it must receive nothing.
  subs['moh'] = await h.subscribe('moh', REPORTED);
  await h.db.query(`DELETE FROM agency_grant WHERE agency_code = 'moh'`);
  // epay is granted and subscribed, but suspended: it must receive nothing either.
  subs['epay'] = await h.subscribe('epay', REPORTED);
  await h.db.query(`UPDATE agency SET status = 'suspended' WHERE code = 'epay'`);
  await h.startInProcess();
  await h.publish(REPORTED, [
    { id: 'evt-absconded-1', data: absconded },
    { id: 'evt-contract-1', data: contractEnded },
    { id: 'evt-absconded-2', data: { ...absconded, workerCivilNumber: '123456789' } },
  ]);
});
afterAll(async () => {
  await h?.close();
});

describe('router fan-out', () => {
  it('ROP gets only what its filter matches, only the projected fields (and the partition key), keyed as published', async () => {
    const records = await h.inbox('rop', { expected: 2 });
    expect(records.map((r) => r.headers['ce_id']).sort()).toEqual(['evt-absconded-1', 'evt-absconded-2']);
    for (const r of records) {
      expect(r.headers['ce_rabtsubscription']).toBe(subs['rop']);
      expect(r.headers['ce_type']).toBe(REPORTED);
      const data = (await h.serde.decode(r.value)) as Record<string, unknown>;
      expect(Object.keys(data).sort()).toEqual(['lastWorkingDay', 'reason', 'workerCivilNumber', 'workerName']);
      expect(r.key).toBe(data['workerCivilNumber']);
      expect(r.headers['ce_dataschema']).toMatch(/\/schemas\/ids\/\d+$/);
    }
  });

  it('MOCI (no filter) gets every event, projected to the employer and worker numbers', async () => {
    const records = await h.inbox('moci', { expected: 3 });
    expect(records).toHaveLength(3);
    const data = (await h.serde.decode(records[0]!.value)) as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['employerCrNumber', 'workerCivilNumber']);
  });

  it('Muscat Municipality (no projection) gets the full event, unchanged, for Muscat only', async () => {
    const records = await h.inbox('mm', { expected: 2 });
    expect(records.map((r) => r.headers['ce_id']).sort()).toEqual(['evt-absconded-1', 'evt-absconded-2']);
    expect(await h.serde.decode(records.find((r) => r.headers['ce_id'] === 'evt-absconded-1')!.value)).toEqual(absconded);
  });

  it('an agency whose grant was revoked receives nothing', async () => {
    // The other agencies' inboxes are filled by now (tests above), so the router has run past these events.
    expect(await h.inbox('moh', { idleMs: 2000, topicWaitMs: 3000 })).toEqual([]);
  });

  it('a suspended agency receives nothing, though granted and subscribed', async () => {
    expect(await h.inbox('epay', { idleMs: 2000, topicWaitMs: 3000 })).toEqual([]);
  });
});
