import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaFragment, loadConfig } from '@rabt/config';
import { WORKSPACE_ROOT, eventually, kafkaEnv, testStack, uniqueName } from '@rabt/testing';
import { createKafka, EventProducer, readMatching, TopicAdmin } from '../src';

const { kafka: config } = loadConfig('tx-test', { kafka: kafkaFragment('tx-test') }, kafkaEnv('operator-admin', testStack.kafkaBrokers)).values;
const kafka = createKafka(config);
const admin = new TopicAdmin(kafka, { partitions: 3, replicationFactor: 1 });
const producer = new EventProducer(kafka);
const children: ChildProcess[] = [];

function startChild(env: Record<string, string>): ChildProcess {
  // node itself, with tsx as a loader: the tsx CLI would run the processor in a child of its own,
  // and SIGKILL would kill only the wrapper, leaving the processor running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'libs/kafka/test/processor.child.ts'], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', BROKERS: testStack.kafkaBrokers, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.resume();
  children.push(child);
  return child;
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await producer.disconnect();
  await admin.disconnect();
});

describe('TransactionalProcessor', () => {
  it.each([1, 3])('yields each record\'s outputs exactly once although the process is killed -9 mid-stream, twice (%i partitions at a time, one transaction)', async (concurrency) => {
    const input = uniqueName('rabt.test.tx-in');
    const output = uniqueName('rabt.test.tx-out');
    await admin.ensureTopics([{ name: input, partitions: 3 }, { name: output, partitions: 3 }]);
    const ids = Array.from({ length: 300 }, (_, i) => `rec-${i}`);
    await producer.publish(input, ids.map((id) => ({ attributes: { id, source: 'urn:rabt:agency:mom', type: 'mom.test.happened', partitionkey: id }, value: Buffer.from(id) })));
    const env = { IN: input, OUT: output, GROUP: uniqueName('g'), TXID: uniqueName('tx'), DELAY_MS: '5', CONCURRENCY: String(concurrency) };

    const outputs = async () => [...(await admin.endOffsets(output)).values()].reduce((n, o) => n + Number(o), 0);
    for (let crash = 0; crash < 2; crash++) {
      const child = startChild(env);
      const before = await outputs();
      await eventually(async () => (await outputs()) > before + 40, 60_000, 50);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    startChild({ ...env, DELAY_MS: '0' });

    const seen = await readMatching(kafka, output, () => true, { expected: ids.length * 2, timeoutMs: 90_000 });
    const counts = new Map<string, number>();
    for (const r of seen) counts.set(r.key!, (counts.get(r.key!) ?? 0) + 1);
    for (const id of ids) {
      expect(counts.get(`${id}:a`), `${id}:a`).toBe(1);
      expect(counts.get(`${id}:b`), `${id}:b`).toBe(1);
    }
    // The log itself holds the aborted attempts too: read_committed hides them.
    expect(await outputs()).toBeGreaterThan(ids.length * 2);
  }, 180_000);
});
