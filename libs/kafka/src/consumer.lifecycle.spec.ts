// When kafkajs may restart a crashed consumer, and what a crash it will not restart does, for
// every consumer of this library. kafkajs is replaced by a fake that records each consumer's
// configuration and lets the test raise its GROUP_JOIN and CRASH events.
import { EventEmitter } from 'node:events';
import type { ConsumerConfig, Kafka } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { commitGroupPositions } from './consumer-group.admin';
import { firstJoin } from './consumer.lifecycle';
import { EventConsumer } from './event.consumer';
import { TransactionalProcessor } from './transactional.processor';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' } as const;

interface FakeConsumer {
  readonly config: ConsumerConfig;
  join(): void;
  crash(restart: boolean, error?: Error): void;
  /** What kafkajs would decide after a crash, asking the consumer's restartOnFailure. */
  restartWanted(): Promise<boolean>;
  readonly disconnected: boolean;
}

function fakeKafka() {
  const consumers: FakeConsumer[] = [];
  const kafka = {
    consumer(config: ConsumerConfig) {
      const emitter = new EventEmitter();
      let disconnected = false;
      consumers.push({
        config,
        join: () => emitter.emit(EVENTS.GROUP_JOIN, { payload: {} }),
        crash: (restart, error = new Error('crashed')) => emitter.emit(EVENTS.CRASH, { payload: { error, restart } }),
        restartWanted: () => config.retry!.restartOnFailure!(new Error('crashed')),
        get disconnected() {
          return disconnected;
        },
      });
      return {
        events: EVENTS,
        on: (name: string, listener: (event: unknown) => void) => {
          emitter.on(name, listener);
          return () => emitter.off(name, listener);
        },
        connect: async () => undefined,
        subscribe: async () => undefined,
        run: async () => undefined,
        commitOffsets: async () => undefined,
        disconnect: async () => void (disconnected = true),
      };
    },
    producer: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
  };
  return { kafka: kafka as unknown as Kafka, consumers };
}

/** Lets the code under test reach its next await. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('firstJoin', () => {
  it('resolves at the join, waits through crashes kafkajs restarts, rejects at one it will not', async () => {
    const { kafka, consumers } = fakeKafka();
    const joined = firstJoin(kafka.consumer({ groupId: 'g' }));
    consumers[0]!.crash(true); // a restart is coming: keep waiting
    consumers[0]!.join();
    await expect(joined).resolves.toBeUndefined();

    const refused = firstJoin(kafka.consumer({ groupId: 'g' }));
    const error = new Error('GROUP_AUTHORIZATION_FAILED');
    consumers[1]!.crash(false, error);
    await expect(refused).rejects.toBe(error);
  });
});

describe('EventConsumer', () => {
  const options = { groupId: 'g', topics: ['t'], handle: async () => undefined };

  it('is restarted after a crash while it runs, never after stop()', async () => {
    const { kafka, consumers } = fakeKafka();
    const consumer = new EventConsumer(kafka, options);
    const started = consumer.start();
    await tick();
    consumers[0]!.join();
    await started;
    expect(await consumers[0]!.restartWanted()).toBe(true);
    await consumer.stop();
    expect(await consumers[0]!.restartWanted()).toBe(false);
  });

  it('start() fails instead of waiting forever when the consumer crashed for good before joining', async () => {
    const { kafka, consumers } = fakeKafka();
    const started = new EventConsumer(kafka, options).start();
    await tick();
    consumers[0]!.crash(false, new Error('TOPIC_AUTHORIZATION_FAILED'));
    await expect(started).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
  });

  it('reports a crash for good while it runs to onFatal, but not one that is restarted or follows stop()', async () => {
    const { kafka, consumers } = fakeKafka();
    const onFatal = vi.fn();
    const consumer = new EventConsumer(kafka, { ...options, onFatal });
    const started = consumer.start();
    await tick();
    consumers[0]!.join();
    await started;
    consumers[0]!.crash(true);
    expect(onFatal).not.toHaveBeenCalled();
    const error = new Error('GROUP_AUTHORIZATION_FAILED');
    consumers[0]!.crash(false, error);
    expect(onFatal).toHaveBeenCalledExactlyOnceWith(error);
    await consumer.stop();
    consumers[0]!.crash(false);
    expect(onFatal).toHaveBeenCalledTimes(1);
  });
});

describe('TransactionalProcessor', () => {
  it('is restarted after a crash while it runs, never after stop(); a crash for good while running goes to onFatal', async () => {
    const { kafka, consumers } = fakeKafka();
    const onFatal = vi.fn();
    const processor = new TransactionalProcessor(kafka, { groupId: 'g', topics: ['t'], transactionalId: 'tx', process: async () => [], onFatal });
    const started = processor.start();
    await tick();
    consumers[0]!.join();
    await started;
    expect(await consumers[0]!.restartWanted()).toBe(true);
    consumers[0]!.crash(false);
    expect(onFatal).toHaveBeenCalledTimes(1);
    await processor.stop();
    expect(await consumers[0]!.restartWanted()).toBe(false);
    consumers[0]!.crash(false);
    expect(onFatal).toHaveBeenCalledTimes(1);
  });
});

describe('commitGroupPositions', () => {
  const positions = [{ topic: 't', partition: 0, offset: '5' }];

  it('lets its helper be restarted while it joins (a new broker loading its coordinator), never once it is done', async () => {
    const { kafka, consumers } = fakeKafka();
    const done = commitGroupPositions(kafka, 'g', positions);
    await tick();
    expect(await consumers[0]!.restartWanted()).toBe(true);
    consumers[0]!.crash(true);
    consumers[0]!.join();
    await done;
    expect(consumers[0]!.disconnected).toBe(true);
    expect(await consumers[0]!.restartWanted()).toBe(false);
  });

  it('fails, and disconnects its helper, when the helper crashed for good before joining', async () => {
    const { kafka, consumers } = fakeKafka();
    const done = commitGroupPositions(kafka, 'g', positions);
    await tick();
    consumers[0]!.crash(false, new Error('GROUP_AUTHORIZATION_FAILED'));
    await expect(done).rejects.toThrow('GROUP_AUTHORIZATION_FAILED');
    expect(consumers[0]!.disconnected).toBe(true);
  });
});
