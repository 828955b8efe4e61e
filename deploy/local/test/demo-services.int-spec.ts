// The demo supervises its services: one that exits by itself with a failure code (a Rabt service
// exits 70 when its Kafka consumer crashed for good) is started again with backoff; one stopped by
// a signal is left stopped, and nothing is restarted once the demo stops. Real processes: a small
// HTTP server script stands in for a built service.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from '@rabt/testing';
import { DemoServices } from '../demo/services';

const dir = mkdtempSync(join(tmpdir(), 'rabt-demo-services-'));
const script = join(dir, 'service.cjs');
writeFileSync(
  script,
  `const http = require('node:http');
const fs = require('node:fs');
const starts = fs.existsSync(process.env.MARKER) ? Number(fs.readFileSync(process.env.MARKER, 'utf8')) : 0;
fs.writeFileSync(process.env.MARKER, String(starts + 1));
const server = http.createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
if (starts < Number(process.env.FAIL_TIMES)) setTimeout(() => process.exit(70), 300);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
);
const starts = (marker: string) => (existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : 0);
const running: DemoServices[] = [];

function services(messages: string[]): DemoServices {
  const s = new DemoServices({ scriptOf: () => script, logDir: dir, restartDelayMs: 50, announce: (m) => messages.push(m) });
  running.push(s);
  return s;
}

afterAll(async () => {
  await Promise.allSettled(running.map((s) => s.stopAll()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo as supervisor', () => {
  it('starts a service again after it exits with a failure code, until it stays up; stops it for good on stopAll', async () => {
    const messages: string[] = [];
    const demo = services(messages);
    const port = await freePort();
    const marker = join(dir, 'flaky.starts');
    await demo.start('flaky', { PORT: String(port), MARKER: marker, FAIL_TIMES: '2' }, port);

    await eventually(() => starts(marker) === 3 && messages.some((m) => m.startsWith('flaky ready again')), 20_000, 50);
    expect(messages.filter((m) => m.startsWith('flaky exited with code 70'))).toEqual([
      expect.stringContaining('starting it again in 50 ms'),
      expect.stringContaining('starting it again in 100 ms'),
    ]);
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok).toBe(true);

    await demo.stopAll();
    await new Promise((r) => setTimeout(r, 500));
    expect(starts(marker)).toBe(3);
    expect(await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null)).toBeNull();
  }, 30_000);

  it('leaves a service stopped by a signal stopped', async () => {
    const messages: string[] = [];
    const demo = services(messages);
    const port = await freePort();
    const marker = join(dir, 'killed.starts');
    await demo.start('killed', { PORT: String(port), MARKER: marker, FAIL_TIMES: '0' }, port);

    process.kill(demo.pidOf('killed')!, 'SIGKILL');
    await eventually(() => messages.some((m) => m === 'killed stopped (SIGKILL); not restarted'), 10_000, 50);
    await new Promise((r) => setTimeout(r, 500));
    expect(starts(marker)).toBe(1);
  }, 30_000);
});
