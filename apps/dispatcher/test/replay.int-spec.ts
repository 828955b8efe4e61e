// A dead letter replayed by an operator (the ops service puts its delivery back to pending, as
// below): the dispatcher delivers it with the same webhook-id and a fresh retry schedule; if it
// dies again its one dead letter is reopened with the new error; once delivered it is marked
// replayed. Retry schedule 200ms,400ms,800ms: four attempts per life.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterEntity } from '@rabt/persistence';
import { removeSubscription } from '@rabt/routing';
import { eventually } from '@rabt/testing';
import { startDispatcherHarness, type DispatcherHarness } from './dispatcher.harness';
import { startReceiver, type Receiver } from './receivers';

let h: DispatcherHarness;
let r: Receiver;
let failing = true;

beforeAll(async () => {
  h = await startDispatcherHarness({ DISPATCHER_BREAKER_FAILURES: '1000', DISPATCHER_ORPHAN_SWEEP_MS: '300' });
  await h.start();
  r = await startReceiver(() => (failing ? { status: 503, body: 'maintenance' } : { status: 204 }));
});
afterAll(async () => {
  await h?.close();
  await r?.close();
});

/** What POST /v1/dead-letters/{id}/replay does to the rows (apps/ops DeadLettersRepository.replay). */
async function replay(deadLetterId: string): Promise<void> {
  await h.db.query(
    `WITH dl AS (UPDATE dead_letter SET state = 'replaying', replayed_at = now() WHERE id = $1 AND state = 'open' RETURNING delivery_id)
     UPDATE delivery d SET state = 'pending', next_attempt_at = now(), lease_until = NULL, lease_token = NULL, replayed_at = now(), attempts_before_replay = d.attempts
       FROM dl WHERE d.id = dl.delivery_id AND d.state = 'dead'`,
    [deadLetterId],
  );
}

const deadLetter = async (deliveryId: string) => h.db.getRepository(DeadLetterEntity).findOneBy({ deliveryId });

describe('replay of a dead letter', () => {
  it('restarts the retry schedule, reopens the same dead letter when it dies again, and is marked replayed once delivered', async () => {
    const sub = await h.subscribe('rop', r.url);
    const event = await h.toInbox(sub, { key: '610000001' });
    await eventually(async () => (await deadLetter(event.webhookId))?.state === 'open', 20_000, 50);
    const first = (await deadLetter(event.webhookId))!;
    expect(first).toMatchObject({ errorCode: 'HTTP_5XX', attempts: 4, lastStatus: 503 });

    await replay(first.id);
    await eventually(async () => (await deadLetter(event.webhookId))?.state === 'open', 20_000, 50);
    const again = (await deadLetter(event.webhookId))!;
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ attempts: 8, errorCode: 'HTTP_5XX' });
    expect((await h.attempts(event.webhookId)).map((a) => a.attemptNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await h.db.getRepository(DeadLetterEntity).countBy({ deliveryId: event.webhookId })).toBe(1);

    failing = false;
    await replay(first.id);
    await eventually(async () => (await deadLetter(event.webhookId))?.state === 'replayed', 20_000, 50);
    const [delivery] = await h.deliveries(sub.id);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 9, attemptsBeforeReplay: 8 });
    expect(new Set(r.requests.map((q) => q.webhookId))).toEqual(new Set([event.webhookId]));
    expect(r.requests).toHaveLength(9);
  }, 60_000);

  it('a replayed delivery whose subscription was removed meanwhile ends as gone, and its dead letter is open again with why', async () => {
    const dead = await startReceiver(() => ({ status: 500 }));
    try {
      const sub = await h.subscribe('moci', dead.url);
      const event = await h.toInbox(sub, { key: '610000002' });
      await eventually(async () => (await deadLetter(event.webhookId))?.state === 'open', 20_000, 50);
      await removeSubscription(h.db.manager, sub.id, 'agency:moci');
      await replay((await deadLetter(event.webhookId))!.id);
      await eventually(async () => (await deadLetter(event.webhookId))?.lastError === 'not attempted: the subscription was removed', 10_000, 50);
      expect(await deadLetter(event.webhookId)).toMatchObject({ state: 'open', errorCode: 'OTHER' });
      expect((await h.deliveries(sub.id))[0]!.state).toBe('gone');
    } finally {
      await dead.close();
    }
  }, 60_000);
});
