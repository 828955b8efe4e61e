import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eventually, type ServiceProcess } from '@rabt/testing';
import { absconding, REPORTED, startRouterHarness, type RouterHarness } from './router.harness';

// A filter that slipped past the creation check (stored before it, or written straight into the
// database, as here) is a cost bomb: 14 nested comprehensions, about 10^14 steps. The router (a
// process of its own, on its own broker) must stop that filter at its run-time budget, count and
// log it, and keep routing: another agency's subscription to the same type gets every event
// promptly, the router's event loop stays responsive throughout (its liveness probe answers at
// once, so its heartbeats can go out too) and its consumer group stays one stable member.
const TEN = '[0,1,2,3,4,5,6,7,8,9]';
const BOMB = Array.from({ length: 14 }).reduceRight<string>((inner, _, i) => `${TEN}.all(${'abcdefghijklmn'[i]}, ${inner})`, 'a >= 0');
const GROUP = 'rabt-router';

let h: RouterHarness;
let router: ServiceProcess;

beforeAll(async () => {
  h = await startRouterHarness(21792);
  await h.subscribe('moci', REPORTED);
  await h.db.query(`INSERT INTO agency_grant (agency_code, event_type, permission, granted_by) VALUES ('rop', $1, 'subscribe', 'mom')`, [REPORTED]);
  router = await h.startProcess({ ROUTER_FILTER_STEP_BUDGET: '100000', ROUTER_FILTER_TIME_BUDGET_MS: '50' });
  // A first few events while all is well: the fresh broker's coordinators are loaded and the group has settled.
  await h.publish(REPORTED, absconding('warm-up', 0, 5, 310000000));
  expect(await h.inbox('moci', { expected: 5 })).toHaveLength(5);
  await h.db.query(`INSERT INTO subscription (id, agency_code, event_type, filter, inbox) VALUES ($1, 'rop', $2, $3, true)`, [randomUUID(), REPORTED, BOMB]);
  await new Promise((r) => setTimeout(r, 1_000)); // the router re-reads subscriptions every 200 ms
}, 180_000);
afterAll(async () => {
  await h?.close();
});

async function groupState(): Promise<{ state: string; members: number }> {
  const admin = h.kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([GROUP]);
    return { state: groups[0]!.state, members: groups[0]!.members.length };
  } finally {
    await admin.disconnect();
  }
}

/** Asks the router's liveness probe every 100 ms until stopped; gives the slowest answer's time. */
function probeLiveness(): { stop(): Promise<number> } {
  let probing = true;
  let slowest = 0;
  const done = (async () => {
    while (probing) {
      const started = Date.now();
      await fetch(`${router.url}/health/live`, { signal: AbortSignal.timeout(10_000) }).then(
        (res) => res.text(),
        () => undefined,
      );
      slowest = Math.max(slowest, Date.now() - started);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      probing = false;
      await done;
      return slowest;
    },
  };
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${router.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('a stored filter bomb slows only its own subscription', () => {
  it('the other agency gets every event promptly; the bomb gets none; the router stays responsive', async () => {
    const liveness = probeLiveness();
    const first = absconding('bomb-a', 5, 30, 310000000);
    const started = Date.now();
    await h.publish(REPORTED, first);
    const records = await h.inbox('moci', { expected: 35, timeoutMs: 30_000 });
    expect(records.map((r) => r.headers['ce_id']).filter((id) => id?.startsWith('bomb-a-')).sort()).toEqual(first.map((e) => e.id).sort());
    expect(Date.now() - started, 'every event routed within 20 s').toBeLessThan(20_000);

    // Later events, while the bomb is set aside, are routed as promptly.
    const second = absconding('bomb-b', 35, 30, 310000000);
    await h.publish(REPORTED, second);
    expect(await h.inbox('moci', { expected: 65, timeoutMs: 30_000 })).toHaveLength(65);
    expect(await liveness.stop(), 'the slowest liveness answer, in ms').toBeLessThan(1_000);

    expect(await h.inbox('rop', { idleMs: 2_000, topicWaitMs: 3_000 })).toEqual([]);
    expect(await metric('rabt_filter_out_of_budget_total', 'agency="rop"')).toBeGreaterThanOrEqual(1);
    expect(await metric('rabt_route_skipped_total', 'reason="filter-set-aside"')).toBeGreaterThanOrEqual(1);
    await eventually(async () => JSON.stringify(await groupState()) === JSON.stringify({ state: 'Stable', members: 1 }), 15_000, 500);
  }, 120_000);
});
