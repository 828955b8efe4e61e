import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createOperator, DEVELOPMENT_PEPPER, issueKey } from '@rabt/auth';
import { createDataSource, migrateDatabase, seedAgencies } from '@rabt/persistence';
import { createThrowawayDatabase, startBuiltService, WORKSPACE_ROOT, type ServiceProcess, type ThrowawayDatabase } from '@rabt/testing';
import { CATALOGUES, type Lang } from '../src/i18n/i18n';

// The Agencies screen of the built console, served by the built ops service, in real headless
// Chromium: API keys that expire within RABT_API_KEY_EXPIRY_WARNING_DAYS are shown with agency,
// key id and date, in English and in Arabic, never a secret; an agency account sees its own.
const PASSWORD = 'correct horse battery staple';
let database: ThrowawayDatabase;
let db: DataSource;
let ops: ServiceProcess;
let browser: Browser;
const keys: Record<string, { keyId: string; token: string; expiresAt: Date | null }> = {};

async function agenciesScreen(username: string, lang: Lang): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang === 'ar' ? 'ar-OM' : 'en-GB', timezoneId: 'Asia/Muscat' });
  await context.addInitScript((l: string) => localStorage.setItem('rabt.console.lang', l), lang);
  const page = await context.newPage();
  await page.goto(ops.url);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('who').waitFor();
  await page.goto(`${ops.url}/#/agencies`);
  await page.getByTestId('agency-list').waitFor();
  return page;
}

beforeAll(async () => {
  database = await createThrowawayDatabase('rabt_console_key_expiry');
  await migrateDatabase({ url: database.url, poolMax: 2, ssl: false }, 'console-key-expiry');
  db = createDataSource({ url: database.url, poolMax: 2, ssl: false }, 'console-key-expiry');
  await db.initialize();
  await seedAgencies(db);
  await createOperator(db.manager, { username: 'viewer', password: PASSWORD, role: 'viewer', displayName: 'Maryam Al-Zadjali' });
  await createOperator(db.manager, { username: 'moci-integrator', password: PASSWORD, role: 'operator', displayName: 'MoCI Integration Team', agency: 'moci' });
  await createOperator(db.manager, { username: 'moh-viewer', password: PASSWORD, role: 'viewer', displayName: 'MoH', agency: 'moh' });
  for (const [name, agency, expires] of [
    ['rop back office', 'rop', '5d'],
    ['moci gateway', 'moci', '2d'],
    ['mom far', 'mom', '90d'],
  ] as const) {
    const key = await issueKey(db.manager, DEVELOPMENT_PEPPER, agency, { label: name, expires }, 'cli:test');
    keys[name] = { keyId: key.keyId, token: key.token, expiresAt: key.expiresAt };
  }
  ops = await startBuiltService('ops', { DATABASE_URL: database.url, OPS_CONSOLE_DIR: join(WORKSPACE_ROOT, 'dist/apps/console') }, 'OPS_PORT');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await ops?.kill();
  await db?.destroy();
  await database?.drop();
});

describe('API keys about to expire on the Agencies screen', () => {
  it.each(['en', 'ar'] as const)('warns of them in %s: agency, key id, label and date, soonest first, never a secret', async (lang) => {
    const page = await agenciesScreen('viewer', lang);
    const panel = page.getByTestId('expiring-keys');
    await panel.waitFor();
    const title = CATALOGUES[lang]['apiKeys.expiringTitle'];
    expect(await panel.locator('h2').textContent()).toContain(title.slice(0, title.indexOf('{days}')).trim());
    const headers = await panel.locator('th').allTextContents();
    expect(headers).toEqual([CATALOGUES[lang]['apiKeys.agency'], CATALOGUES[lang]['apiKeys.keyId'], CATALOGUES[lang]['apiKeys.label'], CATALOGUES[lang]['apiKeys.expiresAt']]);
    const rows = panel.getByTestId('expiring-key-item');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual([keys['moci gateway']!.keyId, keys['rop back office']!.keyId]);
    const first = await rows.first().locator('td').allTextContents();
    expect(first.slice(0, 3)).toEqual(['moci', keys['moci gateway']!.keyId, 'moci gateway']);
    const date = new Intl.DateTimeFormat(lang === 'ar' ? 'ar-OM' : 'en-GB', { dateStyle: 'medium', timeZone: 'Asia/Muscat' }).format(keys['moci gateway']!.expiresAt!);
    expect(first[3]).toContain(date);
    if (lang === 'ar') expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const text = await page.locator('body').innerText();
    for (const k of Object.values(keys)) expect(text).not.toContain(k.token.slice(-43));
    expect(text).not.toContain(keys['mom far']!.keyId);
    await page.context().close();
  });

  it("an agency account sees its own agency's keys only, and no warning when it has none", async () => {
    const moci = await agenciesScreen('moci-integrator', 'en');
    await moci.getByTestId('expiring-keys').waitFor();
    expect(await moci.getByTestId('expiring-key-item').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual([keys['moci gateway']!.keyId]);
    await moci.context().close();
    const moh = await agenciesScreen('moh-viewer', 'en');
    await moh.getByTestId('agency-item').first().waitFor();
    expect(await moh.getByTestId('expiring-keys').count()).toBe(0);
    await moh.context().close();
  });
});
