import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { eventually, WORKSPACE_ROOT } from '@rabt/testing';
import { OpsClient } from '../src/api/ops.client';
import type { DeadLetterSummary } from '@rabt/ops-contracts';
import { CATALOGUES, type Lang } from '../src/i18n/i18n';
import { REPORTED, sessionToken, startConsoleStack, type ConsoleStack } from './console.harness';

// The console in real headless Chromium against the real ops service and pipeline: MoM publishes,
// ROP's receiver is down, the dead letters are real rows; an operator signs in, filters, replays
// from the UI with a reason, and ROP's receiver gets the event again with the same webhook-id.
// Every main screen is taken in English and Arabic: into docs/screenshots/ with
// RABT_UPDATE_SCREENSHOTS=1 (after a UI change), else into a temporary folder, so a test run
// leaves the working tree as it was.
const UPDATE_SHOTS = process.env['RABT_UPDATE_SCREENSHOTS'] === '1';
const SHOTS = UPDATE_SHOTS ? join(WORKSPACE_ROOT, 'docs/screenshots') : mkdtempSync(join(tmpdir(), 'rabt-console-shots-'));
const PASSWORD = 'correct horse battery staple';
const EVENTS = 4;
const report = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'test/fixtures', REPORTED, 'ok', 'absconded-seeb.json'), 'utf8')) as Record<string, unknown>;

let stack: ConsoleStack;
let browser: Browser;
let admin: OpsClient;
const published: { id: string; transactionid: string }[] = [];

async function newPage(lang: Lang = 'en'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: lang === 'ar' ? 'ar-OM' : 'en-GB', timezoneId: 'Asia/Muscat' });
  await context.addInitScript((l: string) => {
    if (!localStorage.getItem('rabt.console.lang')) localStorage.setItem('rabt.console.lang', l);
  }, lang);
  const page = await context.newPage();
  await page.goto(stack.opsUrl);
  return { context, page };
}

async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in-submit').click();
}

async function shot(page: Page, screen: string, lang: Lang): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `console-${screen}-${lang}.png`), fullPage: false });
}

async function openDeadLetters(rop: string): Promise<DeadLetterSummary[]> {
  return [...(await admin.deadLetters({ agency: rop, state: 'open', limit: 200 })).items];
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startConsoleStack();
  await stack.createOperator({ username: 'admin', password: PASSWORD, role: 'admin', displayName: 'Aisha Al-Balushi' });
  admin = new OpsClient({ baseUrl: stack.opsUrl, token: await sessionToken(stack.opsUrl, 'admin', PASSWORD) });
  await stack.createOperator({ username: 'operator', password: PASSWORD, role: 'operator', displayName: 'Salim Al-Harthy' });
  await stack.createOperator({ username: 'viewer', password: PASSWORD, role: 'viewer', displayName: 'Maryam Al-Zadjali' });
  await stack.createOperator({ username: 'careless', password: PASSWORD, role: 'operator', displayName: 'Careless Typist' });
  await stack.createOperator({ username: 'moci-integrator', password: PASSWORD, role: 'operator', displayName: 'MoCI Integration Team', agency: 'moci' });

  for (let i = 0; i < EVENTS; i++) {
    const accepted = await stack.mom.publish(REPORTED as never, { ...report, reportId: `LWR-CONSOLE-${Date.now().toString(36)}-${i}`, workerCivilNumber: String(410_000_000 + i) } as never);
    published.push({ id: accepted.id, transactionid: accepted.transactionid! });
  }
  // MoCI's receiver is up, ROP's is down: ROP's deliveries are dead-lettered after three attempts.
  await eventually(async () => (await openDeadLetters('rop')).length === EVENTS, 90_000, 500).catch(async (e: unknown) => {
    const all = await admin.deadLetters({ state: 'open' }).catch((err: unknown) => String(err));
    throw new Error(`${(e as Error).message}; ROP refused ${stack.receivers.rop.refused()}, MoCI got ${stack.receivers.moci.delivered.length}; open dead letters: ${JSON.stringify(all)}`);
  });
  expect(stack.receivers.rop.refused()).toBeGreaterThanOrEqual(EVENTS * 3);

  browser = await chromium.launch({
    executablePath: process.env['RABT_CHROMIUM'] ?? '/usr/bin/chromium', // as scripts/prerequisites.sh checks
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (!UPDATE_SHOTS) rmSync(SHOTS, { recursive: true, force: true });
});

describe('the operator console in Chromium', () => {
  it('a wrong password shows INVALID_CREDENTIALS; the third in a row locks the account, which then answers the same', async () => {
    const { context, page } = await newPage('en');
    await page.getByTestId('sign-in').waitFor();
    await shot(page, 'sign-in', 'en');
    await signIn(page, 'careless', 'not the password');
    await expect.poll(() => page.getByTestId('problem').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    expect(await page.getByTestId('problem').innerText()).toContain(CATALOGUES.en['error.INVALID_CREDENTIALS']);
    expect(await page.getByTestId('sign-in').count()).toBe(1);

    // The third wrong password in a row locks the account; then even the right one is refused,
    // with the same answer as a wrong password (a lock tells a stranger nothing).
    const codes: (string | null)[] = [];
    for (let i = 0; i < 2; i++) {
      await signIn(page, 'careless', `still wrong ${i}`);
      await expect.poll(() => page.getByTestId('sign-in-submit').isEnabled()).toBe(true);
      codes.push(await page.getByTestId('problem').getAttribute('data-code'));
    }
    await signIn(page, 'careless');
    await expect.poll(() => page.getByTestId('sign-in-submit').isEnabled()).toBe(true);
    expect(await page.getByTestId('problem').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    expect(await page.getByTestId('who').count()).toBe(0);
    expect(codes).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
    await shot(page, 'sign-in-locked', 'en');
    await context.close();
  });

  it('an operator signs in and sees the dashboard: per-minute chart, per-agency table, SLA counters', async () => {
    const { context, page } = await newPage('en');
    await signIn(page, 'operator');
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('traffic-chart').locator('canvas').waitFor();
    await page.getByTestId('agency-row-rop').waitFor();
    expect(await page.getByTestId('who').getAttribute('data-role')).toBe('operator');
    for (const k of ['open', 'breached', 'completed', 'withdrawn']) await page.getByTestId(`sla-${k}`).waitFor();
    // The figures are the ops service's: ROP's four open dead letters, MoM's four reports.
    expect(await page.getByTestId('tile-dead-letters-value').innerText()).toBe(String(EVENTS));
    expect(await page.getByTestId('agency-row-rop').locator('td').last().innerText()).toBe(String(EVENTS));
    expect(await page.getByTestId('agency-row-mom').locator('td').nth(1).innerText()).toBe(String(EVENTS));
    await shot(page, 'dashboard', 'en');
    await context.close();
  });

  it('filters the dead-letter list by agency, error code, time range and transaction id', async () => {
    const { context, page } = await newPage('en');
    await signIn(page, 'operator');
    await page.getByTestId('nav-dead-letters').click();
    await page.getByTestId('filter-agency').fill('rop');
    await page.getByTestId('filter-apply').click();
    await expect.poll(() => page.getByTestId('dead-letter-row').count(), { timeout: 15_000 }).toBe(EVENTS);
    expect(new Set(await page.getByTestId('dead-letter-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agency'))))).toEqual(new Set(['rop']));
    await shot(page, 'dead-letters', 'en');

    // Error code and time range narrow the list too. Each step goes from rows to none or back,
    // so what is on screen is always the answer to the new filter.
    const apply = () => page.getByTestId('filter-apply').click();
    const rows = () => page.getByTestId('dead-letter-row').count();
    await page.getByTestId('filter-error-code').selectOption('TIMEOUT');
    await apply();
    await page.getByTestId('empty').waitFor();
    await page.getByTestId('filter-error-code').selectOption('HTTP_5XX');
    await apply();
    await expect.poll(rows).toBe(EVENTS);
    await page.getByTestId('filter-from').fill('2099-01-01T00:00');
    await apply();
    await page.getByTestId('empty').waitFor();
    // Local time in the page (Asia/Muscat), an instant in the URL.
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain('from=2098-12-31T20:00:00.000Z');
    await page.getByTestId('filter-from').fill('');
    await apply();
    await expect.poll(rows).toBe(EVENTS);

    const target = published[0]!;
    await page.getByTestId('filter-transaction').fill(target.transactionid);
    await page.getByTestId('filter-apply').click();
    await expect.poll(() => page.getByTestId('dead-letter-row').count()).toBe(1);
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain(`transactionId=${target.transactionid}`);
    const [only] = (await admin.deadLetters({ agency: 'rop', transactionId: target.transactionid })).items;
    expect(await page.getByTestId('dead-letter-row').getAttribute('data-id')).toBe(only!.id);
    await context.close();
  });

  it('a viewer sees no replay or discard button, and the API refuses the replay (403) and changes nothing', async () => {
    const [letter] = await openDeadLetters('rop');
    const { context, page } = await newPage('en');
    await signIn(page, 'viewer');
    await page.getByTestId('dashboard').waitFor();
    await page.goto(`${stack.opsUrl}/#/dead-letters/${letter!.id}`);
    await page.getByTestId('webhook-id').waitFor();
    expect(await page.getByTestId('replay').count()).toBe(0);
    expect(await page.getByTestId('discard').count()).toBe(0);
    await page.getByTestId('nav-dead-letters').click();
    await page.getByTestId('dead-letter-row').first().waitFor();
    expect(await page.getByTestId('replay-all').count()).toBe(0);
    await page.goBack();
    await page.getByTestId('webhook-id').waitFor();
    // Fields marked rabt.sensitive are masked for a viewer, and the console says which.
    expect(await page.getByTestId('masked-value').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('masked-paths').innerText()).toContain('workerCivilNumber');
    await shot(page, 'dead-letter-viewer', 'en');
    const refused = await page.evaluate(async (id) => {
      const res = await fetch(`/v1/dead-letters/${id}/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'viewer tries' }) });
      return { status: res.status, body: (await res.json()) as { code: string } };
    }, letter!.id);
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    expect((await admin.deadLetter(letter!.id)).state).toBe('open');
    await context.close();
  });

  it('an agency integrator (MoCI) sees only its own agency: no ROP dead letters, its own dashboard row, and a ROP dead letter by link is "not found"', async () => {
    const [letter] = await openDeadLetters('rop');
    const { context, page } = await newPage('en');
    await signIn(page, 'moci-integrator');
    await page.getByTestId('agency-row-moci').waitFor();
    expect(await page.getByTestId('agency-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('nav-dead-letters').click();
    await page.getByTestId('empty').waitFor();
    expect(await page.getByTestId('dead-letters-total').innerText()).toContain('0');
    await page.goto(`${stack.opsUrl}/#/dead-letters/${letter!.id}`);
    await expect.poll(() => page.getByTestId('problem').getAttribute('data-code')).toBe('DEAD_LETTER_NOT_FOUND');
    expect(await page.getByTestId('replay').count()).toBe(0);
    await context.close();
  });

  it('replays one dead letter from the UI with a reason: ROP receives it again with the same webhook-id', async () => {
    const target = published[1]!;
    const [letter] = (await admin.deadLetters({ agency: 'rop', transactionId: target.transactionid })).items;
    const { context, page } = await newPage('en');
    await signIn(page, 'operator');
    await page.getByTestId('nav-dead-letters').click();
    await page.getByTestId('filter-transaction').fill(target.transactionid);
    await page.getByTestId('filter-apply').click();
    await expect.poll(() => page.getByTestId('dead-letter-row').count()).toBe(1);
    await page.getByTestId('dead-letter-link').click();
    await page.getByTestId('attempt-row').first().waitFor();
    const shownWebhookId = (await page.getByTestId('webhook-id').innerText()).trim();
    expect(shownWebhookId).toBe(letter!.webhookId);
    expect(await page.getByTestId('attempt-row').count()).toBe(3);
    await shot(page, 'dead-letter', 'en');

    stack.receivers.rop.healthy = true;
    await page.getByTestId('replay').click();
    await page.getByTestId('reason-confirm').click();
    await page.getByTestId('reason-missing').waitFor();
    await page.getByTestId('reason-input').fill('ROP receiver back after maintenance (console test)');
    await page.getByTestId('reason-confirm').click();
    await page.getByTestId('action-done').waitFor();
    await eventually(() => stack.receivers.rop.delivered.some((d) => d.eventId === target.id), 30_000, 100);
    const redelivered = stack.receivers.rop.delivered.filter((d) => d.eventId === target.id);
    expect(redelivered.map((d) => d.webhookId)).toEqual([shownWebhookId]);
    await eventually(async () => (await admin.deadLetter(letter!.id)).state === 'replayed', 30_000, 200);
    await context.close();
  });

  it('"Replay all matching" starts a bulk job, shows its progress, and every remaining ROP dead letter is delivered once', async () => {
    const remaining = await openDeadLetters('rop');
    expect(remaining.length).toBe(EVENTS - 1);
    const { context, page } = await newPage('en');
    await signIn(page, 'operator');
    await page.goto(`${stack.opsUrl}/#/dead-letters?agency=rop&state=open`);
    await expect.poll(() => page.getByTestId('dead-letter-row').count()).toBe(remaining.length);
    await page.getByTestId('replay-all').click();
    await page.getByTestId('reason-input').fill('bulk replay after ROP maintenance (console test)');
    await page.getByTestId('reason-confirm').click();
    await expect.poll(() => page.getByTestId('replay-job').getAttribute('data-state'), { timeout: 30_000 }).toBe('completed');
    expect(await page.getByTestId('replay-job-progress').innerText()).toContain(`${remaining.length} of ${remaining.length}`);
    await eventually(() => remaining.every((r) => stack.receivers.rop.delivered.some((d) => d.webhookId === r.webhookId)), 30_000, 100);
    for (const r of remaining) expect(stack.receivers.rop.delivered.filter((d) => d.webhookId === r.webhookId).length, r.webhookId).toBe(1);
    await context.close();
  });

  it('switching to Arabic flips the layout to rtl, shows Arabic strings and is remembered; an ended session or signing out shows the sign-in screen', async () => {
    const { context, page } = await newPage('en');
    await signIn(page, 'operator');
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('lang-ar').click();
    await expect.poll(() => page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    expect(await page.title()).toBe(`${CATALOGUES.ar['app.brand']} · ${CATALOGUES.ar['app.title']}`);
    expect(await page.getByTestId('nav-dashboard').innerText()).toBe(CATALOGUES.ar['nav.dashboard']);
    // The sidebar is now on the right.
    const nav = (await page.locator('.sidebar').boundingBox())!;
    const content = (await page.locator('.content').boundingBox())!;
    expect(nav.x).toBeGreaterThan(content.x);
    await page.reload();
    await page.getByTestId('dashboard').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.getByTestId('nav-dead-letters').innerText()).toBe(CATALOGUES.ar['nav.deadLetters']);

    // A session that ends on the server (here: deleted behind the console's back) brings the
    // sign-in screen back at the next request; signing out does too.
    expect(await page.evaluate(async () => (await fetch('/v1/session', { method: 'DELETE' })).status)).toBe(204);
    // Either a navigation or the dashboard's own refresh makes that next request, whichever
    // comes first; if the sign-in screen is there already, the link is gone and is not clicked.
    await page
      .getByTestId('nav-dead-letters')
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    await page.getByTestId('sign-in').waitFor();
    await signIn(page, 'operator');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    expect(await page.evaluate(async () => (await fetch('/v1/session')).status)).toBe(401);
    await context.close();
  });

  it('saves every main screen in English and Arabic', async () => {
    const subject = await stack.evolveReportedSchema();
    const [letter] = (await admin.deadLetters({ agency: 'rop', state: 'replayed' })).items;
    const event = published[0]!;
    for (const lang of ['en', 'ar'] as const) {
      const { context, page } = await newPage(lang);
      if (lang === 'ar') {
        await page.getByTestId('sign-in').waitFor();
        await shot(page, 'sign-in', 'ar');
      }
      await signIn(page, 'operator');
      await page.getByTestId('dashboard').waitFor();
      await page.getByTestId('traffic-chart').locator('canvas').waitFor();
      if (lang === 'ar') {
        await page.getByTestId('agency-row-rop').waitFor();
        await shot(page, 'dashboard', 'ar');
        await page.goto(`${stack.opsUrl}/#/dead-letters?agency=rop&state=replayed`);
        await page.getByTestId('dead-letter-row').first().waitFor();
        await shot(page, 'dead-letters', 'ar');
        await page.goto(`${stack.opsUrl}/#/dead-letters/${letter!.id}`);
        await page.getByTestId('attempt-row').first().waitFor();
        await shot(page, 'dead-letter', 'ar');
      }
      await page.goto(`${stack.opsUrl}/#/events/${encodeURIComponent(event.id)}?source=urn:rabt:agency:mom`);
      await page.getByTestId('event-timeline').locator('[data-kind="published"]').waitFor();
      await shot(page, 'event', lang);
      await page.goto(`${stack.opsUrl}/#/transactions`);
      await expect.poll(() => page.getByTestId('transaction-row').count()).toBe(EVENTS);
      await shot(page, 'transactions', lang);
      await page.goto(`${stack.opsUrl}/#/transactions/${event.transactionid}`);
      await page.getByTestId('step-row').first().waitFor();
      await shot(page, 'transaction', lang);
      await page.goto(`${stack.opsUrl}/#/schemas/${encodeURIComponent(subject)}`);
      await page.getByTestId('schema-diff').locator('[data-kind="added"]').first().waitFor();
      await shot(page, 'schemas', lang);
      await page.goto(`${stack.opsUrl}/#/agencies?agency=rop`);
      await page.getByTestId('subscription-item').first().waitFor();
      await shot(page, 'agencies', lang);
      await context.close();
    }
  });
});
