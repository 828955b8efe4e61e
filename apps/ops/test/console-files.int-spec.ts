import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@rabt/testing';
import { migrateDatabase } from '@rabt/persistence';
import { startOps, type RunningOps } from './ops.harness';

// The ops service serves the built console (OPS_CONSOLE_DIR) at `/`: its files as they are, and
// index.html for the console's own routes; the API's paths stay the API's.
let database: ThrowawayDatabase;
let ops: RunningOps;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Rabt console</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("rabt")');
  database = await createThrowawayDatabase('rabt_ops_console');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'ops-console');
  ops = await startOps(database.url, { OPS_CONSOLE_DIR: dir });
}, 60_000);

afterAll(async () => {
  await ops?.close();
  await database?.drop();
});

describe('the console files', () => {
  it('serves index.html at / and for the console’s routes, and its assets as they are', async () => {
    for (const path of ['/', '/dead-letters', '/transactions/tx-1?lang=ar']) {
      const res = await fetch(`${ops.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
      expect(await res.text()).toContain('Rabt console');
    }
    const js = await fetch(`${ops.url}/assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers the console and its assets with a strict CSP (no inline script or style, no framing), nosniff and no referrer', async () => {
    for (const path of ['/', '/index.html', '/dead-letters', '/assets/app.js']) {
      const res = await fetch(`${ops.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/default-src 'self'/);
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/style-src 'self'(;|$)/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('leaves the API alone: unknown API paths are problem+json 404s, known ones ask for a session', async () => {
    const unknown = await fetch(`${ops.url}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await fetch(`${ops.url}/v1/dead-letters`)).status).toBe(401);
    expect((await fetch(`${ops.url}/health/live`)).status).toBe(200);
  });
});
