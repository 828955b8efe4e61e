import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createOperator } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies, serviceDatabaseUrl } from '@rabt/persistence';
import { createThrowawayDatabase, startBuiltService, WORKSPACE_ROOT, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';
import { CATALOGUES } from '../src/i18n/i18n';
import { sessionToken } from './console.harness';

// The built console under its Content-Security-Policy, served by the built ops service (no
// pipeline needed): no CSP violation on any screen, the session token never reachable from the
// page, and an admin's operators view disabling an account, which ends that account's session.
const PASSWORD = 'correct horse battery staple';
let database: ThrowawayDatabase;
let db: DataSource;
let ops: ServiceProcess;
let browser: Browser;
const violations: string[] = [];

async function signedInPage(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  await context.addInitScript(() => localStorage.setItem('rabt.console.lang', 'en'));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(ops.url);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('who').waitFor();
  return page;
}

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_console_operators');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'console-operators');
  db = createDataSource({ url: database.url, poolMax: 2, ssl: false }, 'console-operators');
  await db.initialize();
  await seedAgencies(db);
  await createOperator(db.manager, { username: 'admin', password: PASSWORD, role: 'admin', displayName: 'Aisha Al-Balushi' });
  await createOperator(db.manager, { username: 'salim', password: PASSWORD, role: 'operator', displayName: 'Salim Al-Harthy' });
  await createOperator(db.manager, { username: 'viewer', password: PASSWORD, role: 'viewer', displayName: 'Maryam Al-Zadjali' });
  ops = await startBuiltService('ops', { DATABASE_URL: serviceDatabaseUrl(database.url, 'ops'), OPS_CONSOLE_DIR: join(WORKSPACE_ROOT, 'dist/apps/console') }, 'OPS_PORT');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await ops?.kill();
  await db?.destroy();
  await database?.drop();
});

describe('the console under its security headers', () => {
  it('index.html comes with the strict CSP, and every screen renders without a CSP violation', async () => {
    const res = await fetch(`${ops.url}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';.*style-src 'self';/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
    const page = await signedInPage('admin');
    for (const screen of ['dashboard', 'dead-letters', 'events', 'transactions', 'schemas', 'agencies', 'operators']) {
      await page.getByTestId(`nav-${screen}`).click();
      await page.getByTestId(screen).waitFor();
    }
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('the page cannot read the session token: the cookie is HttpOnly and no answer carries it', async () => {
    const page = await signedInPage('viewer');
    expect(await page.evaluate(() => document.cookie)).not.toContain('rabt_ops_session');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'rabt_ops_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.getByTestId('nav-operators').count()).toBe(0);
    await page.context().close();
  });
});

describe('the operators view', () => {
  it('an admin disables an account with a reason: its session ends at once, and it can be enabled again', async () => {
    const salim = await sessionToken(ops.url, 'salim', PASSWORD);
    const salimAsks = async () => (await fetch(`${ops.url}/v1/session`, { headers: { authorization: `Bearer ${salim}` } })).status;
    expect(await salimAsks()).toBe(200);
    const page = await signedInPage('admin');
    await page.getByTestId('nav-operators').click();
    const row = page.locator('[data-testid="operator-item"][data-username="salim"]');
    await row.waitFor();
    expect(await page.locator('[data-testid="operator-item"][data-username="admin"]').getByTestId('operator-disable').count()).toBe(0);
    await row.getByTestId('operator-disable').click();
    await page.getByTestId('reason-confirm').click();
    await page.getByTestId('reason-missing').waitFor();
    await page.getByTestId('reason-input').fill('left the ministry');
    await page.getByTestId('reason-confirm').click();
    await expect.poll(() => row.getByTestId('operator-state').innerText()).toContain(CATALOGUES.en['operators.disabled']);
    expect(await salimAsks()).toBe(401);
    await row.getByTestId('operator-enable').click();
    await page.getByTestId('reason-input').fill('came back');
    await page.getByTestId('reason-confirm').click();
    await expect.poll(() => row.getByTestId('operator-state').innerText()).toContain(CATALOGUES.en['operators.active']);
    expect(await db.query(`SELECT action, reason FROM audit_record WHERE subject = 'operator:salim' AND actor = 'operator:admin' ORDER BY id`)).toEqual([
      { action: 'operator.disabled', reason: 'left the ministry' },
      { action: 'operator.enabled', reason: 'came back' },
    ]);
    await page.context().close();
  });
});
