// Seeding for the agency simulators (apps/agency-simulator), shared by the demo and the e2e tests:
// the subscriptions the simulated back offices need, the owners' grants for them, and the signing
// secrets the simulator is then started with.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './stack';

/** One subscription a simulated agency needs (`agency-simulator --print-subscriptions`). */
export interface PlannedSubscription {
  readonly agency: string;
  readonly eventType: string;
  readonly projection?: readonly string[];
}

/** The subscriptions the built simulator asks for, from its own reaction table. */
export function simulatorSubscriptionPlan(): PlannedSubscription[] {
  const out = execFileSync(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps/agency-simulator/main.js'), '--print-subscriptions'], { encoding: 'utf8' });
  return JSON.parse(out) as PlannedSubscription[];
}

export interface ProvisionSimulatedAgencies {
  readonly gatewayUrl: string;
  /** API keys by agency code: every subscriber and every owner that must grant. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The owner of an event type (it grants the subscription). */
  ownerOf(eventType: string): string;
  /** Where an agency's back office takes webhooks. */
  webhookUrl(agency: string): string;
  /** Default: the built simulator's plan. */
  readonly plan?: readonly PlannedSubscription[];
  /** Only these agencies (default: every agency with a token). */
  readonly agencies?: readonly string[];
}

async function call(gatewayUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${gatewayUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * Grants (by each type's owner) and creates every planned subscription, replacing one with the
 * same webhook URL (its secret is shown only at creation). Returns the signing secrets by agency.
 */
export async function provisionSimulatedAgencies(options: ProvisionSimulatedAgencies): Promise<Record<string, string[]>> {
  const plan = options.plan ?? simulatorSubscriptionPlan();
  const agencies = options.agencies ?? Object.keys(options.tokens);
  const secrets: Record<string, string[]> = {};
  // A subscription to a type whose owner is not among the given agencies is left out: that owner
  // could not grant it, and no simulated agency publishes it.
  for (const s of plan.filter((p) => agencies.includes(p.agency) && options.tokens[options.ownerOf(p.eventType)] !== undefined)) {
    const token = options.tokens[s.agency];
    if (!token) throw new Error(`no API key for ${s.agency}`);
    const owner = options.ownerOf(s.eventType);
    if (owner !== s.agency) {
      const granted = await call(options.gatewayUrl, options.tokens[owner]!, 'POST', '/v1/grants', { agency: s.agency, eventType: s.eventType, permission: 'subscribe' });
      if (granted.status >= 300 && granted.status !== 409) throw new Error(`granting ${s.eventType} to ${s.agency}: ${granted.status} ${JSON.stringify(granted.body)}`);
    }
    const url = options.webhookUrl(s.agency);
    const existing = await call(options.gatewayUrl, token, 'GET', `/v1/subscriptions?eventType=${encodeURIComponent(s.eventType)}`, undefined);
    for (const sub of (existing.body['subscriptions'] ?? []) as { id: string; webhook?: { url?: string } }[]) {
      if (sub.webhook?.url === url) await call(options.gatewayUrl, token, 'DELETE', `/v1/subscriptions/${sub.id}`);
    }
    const created = await call(options.gatewayUrl, token, 'POST', '/v1/subscriptions', { eventType: s.eventType, webhook: { url }, ...(s.projection ? { projection: s.projection } : {}) });
    if (created.status !== 201) throw new Error(`subscribing ${s.agency} to ${s.eventType}: ${created.status} ${JSON.stringify(created.body)}`);
    (secrets[s.agency] ??= []).push(String(created.body['webhookSecret']));
  }
  return secrets;
}

/** The simulator's environment for those agencies: keys, secrets, ports. */
export function simulatorEnv(gatewayUrl: string, tokens: Readonly<Record<string, string>>, secrets: Readonly<Record<string, readonly string[]>>, ports: Readonly<Record<string, number>>): Record<string, string> {
  const env: Record<string, string> = { RABT_GATEWAY_URL: gatewayUrl, SIM_AGENCIES: Object.keys(secrets).join(',') };
  for (const [agency, list] of Object.entries(secrets)) {
    const A = agency.toUpperCase();
    env[`SIM_${A}_API_KEY`] = tokens[agency]!;
    env[`SIM_${A}_WEBHOOK_SECRETS`] = list.join(',');
    if (ports[agency] !== undefined) env[`SIM_${A}_PORT`] = String(ports[agency]);
  }
  return env;
}
