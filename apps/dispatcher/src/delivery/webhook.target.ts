// The SSRF guard at delivery time: resolve the host once, check every address it resolves to
// (checkWebhookUrl from @rabt/routing), and hand back exactly one checked address to connect to,
// so a second DNS answer (rebinding) can never redirect the request.
import { isIP } from 'node:net';
import { checkWebhookUrl, SubscriptionException, systemResolver, type HostResolver, type ResolvedAddress, type WebhookAllowList } from '@rabt/routing';

/** Where one attempt goes: the URL, and the one address the connection is pinned to. */
export interface PinnedTarget {
  readonly url: URL;
  /** Host name (or IP) as in the URL, without brackets: the Host header and TLS server name. */
  readonly hostname: string;
  readonly port: number;
  readonly address: string;
  readonly family: 4 | 6;
}

/** The URL may not be delivered to (private address, plain http, …): dead-letter at once. */
export class WebhookUrlRefusedError extends Error {
  override readonly name = 'WebhookUrlRefusedError';
}

/** The host could not be resolved now: a failed attempt, retried like any other. */
export class WebhookDnsError extends Error {
  override readonly name = 'WebhookDnsError';
}

const RESOLVE_TIMEOUT_MS = 5_000;

export async function resolveWebhookTarget(url: string, allowList: WebhookAllowList, resolve: HostResolver = systemResolver): Promise<PinnedTarget> {
  let asked = false;
  let answered = false;
  const tracked: HostResolver = async (hostname) => {
    asked = true;
    const addresses = await resolve(hostname);
    answered = true;
    return addresses;
  };
  let checked;
  try {
    checked = await checkWebhookUrl(url, allowList, tracked);
  } catch (e) {
    // A resolution that failed or timed out is passing; anything else checkWebhookUrl refuses is not.
    if (asked && !answered) throw new WebhookDnsError(`DNS: ${(e as Error).message}`);
    if (e instanceof SubscriptionException) throw new WebhookUrlRefusedError(e.message);
    throw e;
  }
  let addresses: readonly ResolvedAddress[] = checked.addresses;
  if (addresses.length === 0) {
    // Allow-listed: no address checks, but still one resolution, pinned like any other.
    const literal = isIP(checked.hostname);
    addresses = literal ? [{ address: checked.hostname, family: literal }] : await resolveOnce(resolve, checked.hostname);
  }
  const first = addresses[0];
  if (!first) throw new WebhookDnsError(`DNS: ${checked.hostname} resolves to no address`);
  return { url: new URL(checked.url), hostname: checked.hostname, port: checked.port, address: first.address, family: first.family === 6 ? 6 : 4 };
}

async function resolveOnce(resolve: HostResolver, hostname: string): Promise<readonly ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      resolve(hostname),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), RESOLVE_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    throw new WebhookDnsError(`DNS: ${hostname} cannot be resolved (${(e as { code?: string }).code ?? (e as Error).message})`);
  } finally {
    clearTimeout(timer);
  }
}
