import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SubscriptionException, SubscriptionExceptionCode, type NewSubscription, type SubscriptionView } from '@rabt/routing';
import { ExitCode } from '../cli/cli.exception';
import { reportFailure } from '../cli/run-command';
import { capturedOutput } from '../testing/cli-test.helpers';
import type { SubscriptionStore } from './subscription-store';
import { addSubscriptionCommands } from './subscriptions.commands';
import { SECRET_WARNING } from './subscriptions.command';

const T = new Date('2026-03-01T09:30:00Z');
const REPORTED = 'mom.employee.left-work-reported';
const ID = '3f2b8c1e-0a4d-4e7f-9b21-5c6d7e8f9a0b';
const SECRET = `whsec_${'A'.repeat(43)}=`;
const SUBSCRIPTION: SubscriptionView = {
  id: ID,
  agency: 'rop',
  eventType: REPORTED,
  filter: 'data.reason == "ABSCONDED"',
  projection: ['workerCivilNumber', 'reason'],
  webhook: { url: 'https://hooks.rop.gov.om/rabt', previousSecretExpiresAt: null },
  inboxTopic: null,
  state: 'active',
  disabledReason: null,
  createdAt: T,
  updatedAt: T,
};

function fakeStore() {
  return {
    developmentKey: false as boolean,
    add: vi.fn(async (input: NewSubscription) => ({
      ...SUBSCRIPTION,
      agency: input.agency,
      filter: input.filter ?? null,
      projection: input.projection ? ['workerCivilNumber', ...input.projection] : null,
      webhook: input.webhook ? { url: input.webhook.url, previousSecretExpiresAt: null } : null,
      inboxTopic: input.inbox ? `rabt.inbox.${input.agency}` : null,
      webhookSecret: input.webhook ? SECRET : null,
    })),
    list: vi.fn(async () => [SUBSCRIPTION, { ...SUBSCRIPTION, id: 'b'.repeat(8), agency: 'moci', filter: null, projection: null, webhook: null, inboxTopic: 'rabt.inbox.moci', state: 'disabled' as const }]),
    remove: vi.fn(async () => SUBSCRIPTION),
    rotateSecret: vi.fn(async () => ({ ...SUBSCRIPTION, webhook: { url: SUBSCRIPTION.webhook!.url, previousSecretExpiresAt: new Date('2026-03-02T09:30:00Z') }, webhookSecret: SECRET })),
    enable: vi.fn(async () => SUBSCRIPTION),
  } satisfies SubscriptionStore;
}

async function rabt(args: string[], store = fakeStore()) {
  const output = capturedOutput();
  const sessions = { opened: 0, closed: 0 };
  const program = new Command('rabt').exitOverride().configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });
  addSubscriptionCommands(program, {
    output,
    open: async () => {
      sessions.opened++;
      return { store, close: async () => void sessions.closed++ };
    },
  });
  await program.parseAsync(args, { from: 'user' }).catch((e: unknown) => {
    process.exitCode = reportFailure(e, output);
  });
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, output, store, sessions };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('rabt subscriptions', () => {
  it('add passes filter, fields and webhook, prints the secret once with a warning, and closes the database', async () => {
    const run = await rabt(['subscriptions', 'add', 'rop', REPORTED, '--filter', 'data.reason == "ABSCONDED"', '--fields', 'reason, passportNumber,', '--webhook', 'https://hooks.rop.gov.om/rabt']);
    expect(run.code).toBe(ExitCode.OK);
    expect(run.store.add).toHaveBeenCalledWith({ agency: 'rop', eventType: REPORTED, filter: 'data.reason == "ABSCONDED"', projection: ['reason', 'passportNumber'], webhook: { url: 'https://hooks.rop.gov.om/rabt' } });
    expect(run.output.stdout).toEqual([
      `✓ subscription ${ID}: rop receives ${REPORTED} by webhook https://hooks.rop.gov.om/rabt`,
      '  filter: data.reason == "ABSCONDED"',
      '  fields: workerCivilNumber, reason, passportNumber',
      '  webhook signing secret:',
      SECRET,
    ]);
    expect(run.output.stderr).toEqual([`! ${SECRET_WARNING}`]);
    expect(run.sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('add --inbox has no secret; --json prints the subscription, and warns about the development key', async () => {
    const inbox = await rabt(['subscriptions', 'add', 'rop', REPORTED, '--inbox', '--json']);
    expect(inbox.store.add).toHaveBeenCalledWith({ agency: 'rop', eventType: REPORTED, inbox: true });
    expect(JSON.parse(inbox.output.text())).toMatchObject({ inboxTopic: 'rabt.inbox.rop', webhookSecret: null });
    const store = { ...fakeStore(), developmentKey: true };
    const hook = await rabt(['subscriptions', 'add', 'rop', REPORTED, '--webhook', 'https://x.example/h', '--json'], store);
    expect(JSON.parse(hook.output.stdout.join('\n'))).toMatchObject({ webhookSecret: SECRET, warning: SECRET_WARNING });
    expect(hook.output.stderr[0]).toMatch(/RABT_SECRET_KEY is the development default/);
  });

  it('list prints a table without secrets, or JSON; passes its filters', async () => {
    const run = await rabt(['subscriptions', 'list', '--agency', 'rop', '--type', REPORTED]);
    expect(run.store.list).toHaveBeenCalledWith({ agency: 'rop', eventType: REPORTED });
    expect(run.output.stdout[0]).toMatch(/^ID +AGENCY +STATE +EVENT TYPE +DELIVERS TO +FIELDS +FILTER$/);
    expect(run.output.stdout[1]).toMatch(new RegExp(`^${ID} +rop +active +${REPORTED.replaceAll('.', '\\.')} +webhook https://hooks\\.rop\\.gov\\.om/rabt +workerCivilNumber,reason +data\\.reason == "ABSCONDED"$`));
    expect(run.output.stdout[2]).toMatch(/^b{8} +moci +disabled +\S+ +inbox rabt\.inbox\.moci +all +-$/);
    expect((await rabt(['subscriptions', 'list', '--json'])).store.list).toHaveBeenCalledWith({});
  });

  it('rotate-secret prints the new secret once and until when the old one works; remove and enable confirm', async () => {
    const rotate = await rabt(['subscriptions', 'rotate-secret', ID]);
    expect(rotate.store.rotateSecret).toHaveBeenCalledWith(ID);
    expect(rotate.output.stdout).toEqual([`✓ new webhook signing secret for subscription ${ID} (rop); the previous one stays valid until 2026-03-02 09:30 UTC:`, SECRET]);
    expect(rotate.output.stderr).toEqual([`! ${SECRET_WARNING}`]);
    expect((await rabt(['subscriptions', 'remove', ID])).output.stdout).toEqual([`✓ subscription ${ID} removed: rop no longer receives ${REPORTED} by webhook https://hooks.rop.gov.om/rabt`]);
    expect((await rabt(['subscriptions', 'enable', ID])).output.stdout[0]).toBe(`✓ subscription ${ID} is active: rop receives ${REPORTED} by webhook https://hooks.rop.gov.om/rabt`);
  });

  it('missing arguments are bad usage (exit 2) and never open the database', async () => {
    const run = await rabt(['subscriptions', 'add', 'rop']);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.output.stderr.join('\n')).toContain("missing required argument 'eventType'");
    expect(run.sessions.opened).toBe(0);
  });

  it.each([
    [SubscriptionExceptionCode.INVALID_SUBSCRIPTION, ExitCode.USAGE],
    [SubscriptionExceptionCode.INVALID_FILTER, ExitCode.USAGE],
    [SubscriptionExceptionCode.INVALID_PROJECTION, ExitCode.USAGE],
    [SubscriptionExceptionCode.UNKNOWN_EVENT_TYPE, ExitCode.USAGE],
    [SubscriptionExceptionCode.WEBHOOK_URL_REFUSED, ExitCode.FAILED],
    [SubscriptionExceptionCode.NOT_SUBSCRIBE_GRANTED, ExitCode.FAILED],
    [SubscriptionExceptionCode.SUBSCRIPTION_NOT_FOUND, ExitCode.FAILED],
    [SubscriptionExceptionCode.SUBSCRIPTION_EXISTS, ExitCode.FAILED],
    [SubscriptionExceptionCode.NO_WEBHOOK, ExitCode.FAILED],
  ])('a refusal %s exits %i with its message alone, and the database is closed', async (code, exit) => {
    const store = fakeStore();
    store.add.mockRejectedValue(new SubscriptionException(code, 'the reason'));
    const run = await rabt(['subscriptions', 'add', 'rop', REPORTED, '--inbox'], store);
    expect(run.code).toBe(exit);
    expect(run.output.stderr).toEqual(['rabt: the reason']);
    expect(run.sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('a database without the table says to migrate (exit 2)', async () => {
    const store = fakeStore();
    store.list.mockRejectedValue(Object.assign(new Error('relation "subscription" does not exist'), { driverError: { code: '42P01' } }));
    const run = await rabt(['subscriptions', 'list'], store);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.output.stderr).toEqual(['rabt: the database has no subscription table yet: run `npm run db:migrate` first']);
  });
});
