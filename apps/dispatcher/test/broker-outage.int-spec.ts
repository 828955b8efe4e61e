// The inboxes' Kafka broker goes away mid-stream and comes back 3 s later. The broker is one of
// the test's own (port 20792), so the shared one is not disturbed. Half the events are in the
// inboxes before the stop, half are written after the start: the dispatcher's intake must take
// in every partition again (kafkajs restarts a crashed consumer; a consumer that was told to
// stop, such as the harness's helper that set the group's start, must not come back as a member
// holding partitions nobody reads). Afterwards every event is delivered, with one delivery per
// (subscription, event), a receiver that deduplicates by webhook-id processes each event once
// (the raw duplicates are reported), and the dispatcher answers ready again.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ephemeralBroker, eventually, type EphemeralBroker } from '@rabt/testing';
import { startDispatcherHarness, subscribedReceivers, type DispatcherHarness, type SubscribedReceivers } from './dispatcher.harness';

const BROKER_PORT = 20792;
const HALF = 75;
const AGENCIES = ['rop', 'moci'];

let broker: EphemeralBroker;
let h: DispatcherHarness;
let stream: SubscribedReceivers | undefined;

beforeAll(async () => {
  broker = ephemeralBroker(BROKER_PORT);
  await broker.start();
  h = await startDispatcherHarness({ DISPATCHER_TIMEOUT_MS: '2000', DISPATCHER_POLL_MS: '100' }, { kafkaBrokers: broker.brokers });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await stream?.close();
  await broker?.destroy();
});

describe('the inboxes’ broker stopped and started again between two halves of a stream', () => {
  it('takes in and delivers everything written before and after; each webhook-id processed once', async () => {
    const s = (stream = await subscribedReceivers(h, AGENCIES, 20));
    const dispatcher = await h.startBuilt();
    await s.write(HALF, '6', 20);
    await eventually(() => s.unique() >= 20, 60_000, 10);

    await broker.stop();
    const atStop = s.unique();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await broker.start();
    await s.write(HALF, '7', 20);
    const total = s.total(2 * HALF);

    const duplicates = await s.deliveredOnceEach(150_000);
    await eventually(async () => (await fetch(`${dispatcher.url}/health/ready`)).status === 200, 60_000);
    console.log(`[broker-outage] ${total} events; ${atStop} processed before the stop; ${s.raw()} requests received in all: ${duplicates} raw duplicates (same webhook-id), 0 after deduplication`);
  }, 300_000);
});
