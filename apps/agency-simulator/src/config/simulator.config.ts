// The simulator's configuration: flags, each with an environment variable behind it (commander
// reads the variable; nothing else here touches the environment), validated once with zod.
import { Command, Option } from 'commander';
import { z } from 'zod';

export const SIMULATED_AGENCIES = ['mom', 'rop', 'moci', 'epay'] as const;
export type SimulatedAgency = (typeof SIMULATED_AGENCIES)[number];

/** Default webhook port of each simulated back office (docs/simulators.md). */
export const DEFAULT_PORTS: Readonly<Record<SimulatedAgency, number>> = { mom: 8091, rop: 8092, moci: 8093, epay: 8094 };

/** `act`: process and publish the follow-up. `stall`: accept every webhook and never act (SLA tests). */
export type SimulatorMode = 'act' | 'stall';

/** How long "processing" takes: a random duration in [minMs, maxMs]. */
export interface DelayRange {
  readonly minMs: number;
  readonly maxMs: number;
}

export interface BehaviourConfig {
  readonly delay: DelayRange;
  /** Share of webhooks answered 503 before any processing (the dispatcher retries them). */
  readonly failureRate: number;
  readonly mode: SimulatorMode;
}

export interface AgencyConfig extends BehaviourConfig {
  readonly agency: SimulatedAgency;
  readonly apiKey: string;
  /** The signing secrets of this agency's subscriptions (one per subscription; any may sign). */
  readonly webhookSecrets: readonly string[];
  readonly port: number;
  /**
   * When set, the endpoint serves HTTPS with this certificate and accepts only Rabt's dispatcher
   * (mutual TLS: a client certificate of `rabtCaFile`, OU=service, CN=dispatcher).
   */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly rabtCaFile: string };
}

export interface SimulatorConfig {
  readonly gatewayUrl: string;
  readonly host: string;
  readonly toleranceSeconds: number;
  readonly logLevel: string;
  readonly agencies: readonly AgencyConfig[];
}

/** Bad flags or variables; `problems` names each one. */
export class SimulatorConfigError extends Error {
  override readonly name = 'SimulatorConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration for agency-simulator:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const upper = (agency: SimulatedAgency) => agency.toUpperCase();

/** `"300"` or `"300-1200"` (milliseconds). */
export function parseDelay(text: string): DelayRange | undefined {
  const match = /^\s*(\d{1,7})\s*(?:-\s*(\d{1,7}))?\s*$/.exec(text);
  if (!match) return undefined;
  const minMs = Number(match[1]);
  const maxMs = match[2] === undefined ? minMs : Number(match[2]);
  return maxMs >= minMs ? { minMs, maxMs } : undefined;
}

const delay = z.string().transform((text, ctx) => parseDelay(text) ?? (ctx.addIssue({ code: 'custom', message: `must be milliseconds or a range like 300-1200 (got "${text}")` }), z.NEVER));
const rate = z.coerce.number({ message: 'must be a number' }).min(0, { message: 'must be between 0 and 1' }).max(1, { message: 'must be between 0 and 1' });
const mode = z.enum(['act', 'stall'], { message: 'must be act or stall' });
const port = z.coerce.number({ message: 'must be a port number' }).int({ message: 'must be a port number' }).min(1, { message: 'must be a port number' }).max(65_535, { message: 'must be a port number' });
const secretList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((x) => /^whsec_[A-Za-z0-9+/=]{16,}$/.test(x)), { message: 'must be a comma-separated list of whsec_… secrets' });

/** The commander program: `--help` lists every flag with its variable. */
export function simulatorCommand(): Command {
  const command = new Command('agency-simulator')
    .description('Simulated back offices of mom, rop, moci and epay: receive signed Rabt webhooks, act, publish the follow-up events')
    .addOption(new Option('--gateway <url>', 'Rabt gateway base URL').env('RABT_GATEWAY_URL').default('http://127.0.0.1:8080'))
    .addOption(new Option('--host <host>', 'listen address of the webhook endpoints').env('SIM_HOST').default('127.0.0.1'))
    .addOption(new Option('--agencies <list>', 'agencies to run (default: each one with an API key)').env('SIM_AGENCIES'))
    .addOption(new Option('--delay <ms>', 'processing time, ms or min-max').env('SIM_DELAY_MS').default('300-1200'))
    .addOption(new Option('--failure-rate <rate>', 'share of webhooks answered 503 (0-1)').env('SIM_FAILURE_RATE').default('0'))
    .addOption(new Option('--mode <mode>', 'act or stall').env('SIM_MODE').default('act'))
    .addOption(new Option('--tolerance <seconds>', 'webhook timestamp tolerance').env('SIM_WEBHOOK_TOLERANCE_S').default('300'))
    .addOption(new Option('--log-level <level>', 'pino log level').env('LOG_LEVEL').default('info'))
    .addOption(new Option('--rabt-ca <file>', "Rabt's CA certificate (PEM): endpoints with a TLS certificate accept only Rabt's dispatcher").env('SIM_RABT_CA'))
    .option('--print-subscriptions', 'print the subscriptions the simulated agencies need (JSON), then exit')
    .allowExcessArguments(false);
  for (const agency of SIMULATED_AGENCIES) {
    const A = upper(agency);
    command
      .addOption(new Option(`--${agency}-api-key <token>`, `${agency}'s Rabt API key`).env(`SIM_${A}_API_KEY`))
      .addOption(new Option(`--${agency}-webhook-secrets <list>`, `${agency}'s webhook signing secrets, comma-separated`).env(`SIM_${A}_WEBHOOK_SECRETS`))
      .addOption(new Option(`--${agency}-port <port>`, `${agency}'s webhook port`).env(`SIM_${A}_PORT`).default(String(DEFAULT_PORTS[agency])))
      .addOption(new Option(`--${agency}-delay <ms>`, `${agency}'s processing time (overrides --delay)`).env(`SIM_${A}_DELAY_MS`))
      .addOption(new Option(`--${agency}-failure-rate <rate>`, `${agency}'s failure rate (overrides --failure-rate)`).env(`SIM_${A}_FAILURE_RATE`))
      .addOption(new Option(`--${agency}-mode <mode>`, `${agency}'s mode (overrides --mode)`).env(`SIM_${A}_MODE`))
      .addOption(new Option(`--${agency}-tls-cert <file>`, `${agency}'s endpoint serves HTTPS with this certificate (PEM), requiring Rabt's dispatcher certificate (with --rabt-ca)`).env(`SIM_${A}_TLS_CERT`))
      .addOption(new Option(`--${agency}-tls-key <file>`, `the private key (PEM) of --${agency}-tls-cert`).env(`SIM_${A}_TLS_KEY`));
  }
  return command;
}

type Options = Record<string, string | undefined>;


/** Validates parsed options; every problem is reported at once, named by flag and variable. */
export function validateSimulatorOptions(options: Options): SimulatorConfig {
  const problems: string[] = [];
  const check = <T>(schema: z.ZodType<T, unknown>, value: string | undefined, name: string): T | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push(`${name}: ${result.error.issues.map((i) => i.message).join('; ')}`);
    return undefined;
  };
  const gatewayUrl = check(z.url({ message: 'must be an http(s) URL' }).regex(/^https?:\/\//, { message: 'must be an http(s) URL' }), options['gateway'], '--gateway (RABT_GATEWAY_URL)');
  const toleranceSeconds = check(z.coerce.number().int().min(1, { message: 'must be a positive number of seconds' }), options['tolerance'], '--tolerance (SIM_WEBHOOK_TOLERANCE_S)');
  const base = {
    delay: check(delay, options['delay'], '--delay (SIM_DELAY_MS)'),
    failureRate: check(rate, options['failureRate'], '--failure-rate (SIM_FAILURE_RATE)'),
    mode: check(mode, options['mode'], '--mode (SIM_MODE)'),
  };
  const key = (agency: SimulatedAgency, suffix: string) => `${agency}${suffix}`;
  let wanted: SimulatedAgency[] = SIMULATED_AGENCIES.filter((a) => options[key(a, 'ApiKey')]);
  if (options['agencies'] !== undefined) {
    const listed = options['agencies'].split(',').map((x) => x.trim()).filter(Boolean);
    const unknown = listed.filter((a) => !(SIMULATED_AGENCIES as readonly string[]).includes(a));
    if (unknown.length) problems.push(`--agencies (SIM_AGENCIES): unknown agency ${unknown.join(', ')} (one of ${SIMULATED_AGENCIES.join(', ')})`);
    wanted = listed.filter((a): a is SimulatedAgency => (SIMULATED_AGENCIES as readonly string[]).includes(a));
  }
  if (wanted.length === 0) problems.push(`no agency to simulate: give at least one API key (--<agency>-api-key or SIM_<AGENCY>_API_KEY, agency one of ${SIMULATED_AGENCIES.join(', ')})`);
  const agencies: AgencyConfig[] = [];
  const ports: number[] = [];
  for (const agency of wanted) {
    const A = upper(agency);
    const apiKey = options[key(agency, 'ApiKey')];
    if (!apiKey) problems.push(`--${agency}-api-key (SIM_${A}_API_KEY): required to simulate ${agency}`);
    const secrets = check(secretList, options[key(agency, 'WebhookSecrets')] ?? '', `--${agency}-webhook-secrets (SIM_${A}_WEBHOOK_SECRETS)`);
    const agencyPort = check(port, options[key(agency, 'Port')], `--${agency}-port (SIM_${A}_PORT)`);
    if (agencyPort !== undefined) ports.push(agencyPort);
    const own = {
      delay: options[key(agency, 'Delay')] === undefined ? base.delay : check(delay, options[key(agency, 'Delay')], `--${agency}-delay (SIM_${A}_DELAY_MS)`),
      failureRate: options[key(agency, 'FailureRate')] === undefined ? base.failureRate : check(rate, options[key(agency, 'FailureRate')], `--${agency}-failure-rate (SIM_${A}_FAILURE_RATE)`),
      mode: options[key(agency, 'Mode')] === undefined ? base.mode : check(mode, options[key(agency, 'Mode')], `--${agency}-mode (SIM_${A}_MODE)`),
    };
    const tlsCert = options[key(agency, 'TlsCert')];
    const tlsKey = options[key(agency, 'TlsKey')];
    if ((tlsCert === undefined) !== (tlsKey === undefined)) problems.push(`--${agency}-tls-cert and --${agency}-tls-key (SIM_${A}_TLS_CERT, SIM_${A}_TLS_KEY): give both or neither`);
    if (tlsCert && !options['rabtCa']) problems.push(`--rabt-ca (SIM_RABT_CA): required with --${agency}-tls-cert, to accept only Rabt's dispatcher`);
    const tls = tlsCert && tlsKey && options['rabtCa'] ? { tls: { certFile: tlsCert, keyFile: tlsKey, rabtCaFile: options['rabtCa'] } } : {};
    if (apiKey && secrets && agencyPort !== undefined && own.delay && own.failureRate !== undefined && own.mode) {
      agencies.push({ agency, apiKey, webhookSecrets: secrets, port: agencyPort, delay: own.delay, failureRate: own.failureRate, mode: own.mode, ...tls });
    }
  }
  const clash = ports.filter((p, i) => ports.indexOf(p) !== i);
  if (clash.length) problems.push(`two agencies on the same port ${clash.join(', ')}`);
  if (problems.length || !gatewayUrl || toleranceSeconds === undefined) throw new SimulatorConfigError(problems);
  return { gatewayUrl: gatewayUrl.replace(/\/+$/, ''), host: options['host'] ?? '127.0.0.1', toleranceSeconds, logLevel: options['logLevel'] ?? 'info', agencies };
}

/** Parses `argv` (flags over variables over defaults) and validates it. */
export function loadSimulatorConfig(argv: readonly string[]): SimulatorConfig {
  const command = simulatorCommand().exitOverride();
  command.parse([...argv], { from: 'user' });
  return validateSimulatorOptions(command.opts<Options>());
}
