// agency-simulator: the simulated back offices of mom, rop, moci and epay (docs/simulators.md).
// Loads and validates its flags/variables (exit 78 on bad configuration), starts one webhook
// endpoint per agency, and stops cleanly on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import { pino } from 'pino';
import { RabtClient } from '@rabt/sdk';
import { loadSimulatorConfig, SIMULATED_AGENCIES, SimulatorConfigError, type SimulatorConfig } from './config/simulator.config';
import { BackOffice } from './back-office/back-office';
import { subscriptionPlan } from './back-office/reaction.table';
import { startWebhookServer } from './webhooks/webhook.server';

const EXIT_CONFIG = 78;

async function run(config: SimulatorConfig): Promise<void> {
  const log = pino({ name: 'agency-simulator', level: config.logLevel });
  const servers: Server[] = [];
  for (const agency of config.agencies) {
    const client = new RabtClient({ baseUrl: config.gatewayUrl, apiKey: agency.apiKey, agency: agency.agency, retries: 5 });
    const office = new BackOffice(agency, client, log.child({ agency: agency.agency }));
    servers.push(await startWebhookServer(office, { secrets: agency.webhookSecrets, toleranceSeconds: config.toleranceSeconds, log: log.child({ agency: agency.agency }), ...(agency.tls ? { tls: agency.tls } : {}) }, config.host, agency.port));
    log.info({ agency: agency.agency, url: `${agency.tls ? 'https' : 'http'}://${config.host}:${agency.port}/webhook`, mutualTls: agency.tls !== undefined, behaviour: office.behaviour }, `${agency.agency} back office listening`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info('stopping');
  const timer = setTimeout(() => process.exit(1), 15_000).unref();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  clearTimeout(timer);
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--print-subscriptions')) {
    process.stdout.write(`${JSON.stringify(subscriptionPlan(SIMULATED_AGENCIES), null, 2)}\n`);
    return;
  }
  let config: SimulatorConfig;
  try {
    config = loadSimulatorConfig(argv);
  } catch (e) {
    if (e instanceof SimulatorConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
    process.exit(EXIT_CONFIG); // commander printed what was wrong with the flags
  }
  await run(config);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`agency-simulator failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
