// The SSRF guard for webhook URLs: Rabt must never be made to send requests into its own
// network. Checked when a subscription is created or enabled, and by the dispatcher before every
// delivery (resolve first, then check every address; connect only to an address checked here).
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { SubscriptionExceptionCode as Code, subscriptionError } from './subscription.exception';

export const MAX_WEBHOOK_URL_LENGTH = 2048;
const RESOLVE_TIMEOUT_MS = 5_000;

/** A host (name or IP) the operator trusts for webhooks, optionally on one port only. */
export interface AllowedHost {
  readonly host: string;
  readonly port?: number;
}
export type WebhookAllowList = readonly AllowedHost[];

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}
/** Every address of a host name (dns.lookup with all: true by default; a fake in tests). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export interface CheckedWebhookUrl {
  /** The URL as Rabt stores and calls it (WHATWG-normalised). */
  readonly url: string;
  readonly hostname: string;
  readonly port: number;
  /** True when the host is on the allow-list: no address checks were made. */
  readonly allowListed: boolean;
  /** The addresses checked (empty when allow-listed); deliver only to these, so DNS cannot change the answer in between. */
  readonly addresses: readonly ResolvedAddress[];
}

// Address ranges Rabt never delivers to, most specific first (the first match names the reason).
const RANGES: readonly [reason: string, ipv4: readonly string[], ipv6: readonly string[]][] = [
  ['a cloud metadata address', ['169.254.169.254/32', '168.63.129.16/32', '100.100.100.200/32'], ['fd00:ec2::254/128']],
  ['an unspecified ("this network") address', ['0.0.0.0/8'], ['::/128']],
  ['a loopback address', ['127.0.0.0/8'], ['::1/128']],
  ['a private address', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], []],
  ['a carrier-grade NAT (shared) address', ['100.64.0.0/10'], []],
  ['a link-local address', ['169.254.0.0/16'], ['fe80::/10']],
  ['a unique-local (private) address', [], ['fc00::/7', 'fec0::/10']],
  ['a multicast address', ['224.0.0.0/4'], ['ff00::/8']],
  ['a reserved or documentation address', ['240.0.0.0/4', '192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24'], ['2001:db8::/32', '100::/64']],
];

const BLOCKED: readonly [string, BlockList][] = RANGES.map(([reason, v4, v6]) => {
  const list = new BlockList();
  for (const cidr of v4) list.addSubnet(cidr.split('/')[0]!, Number(cidr.split('/')[1]), 'ipv4');
  for (const cidr of v6) list.addSubnet(cidr.split('/')[0]!, Number(cidr.split('/')[1]), 'ipv6');
  return [reason, list];
});

/** The 8 hextets of an IPv6 address (with or without a trailing dotted quad). */
function hextets(address: string): number[] {
  let text = address.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -quad[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((h) => parseInt(h, 16));
}

/** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const h = hextets(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeroUntil = (n: number) => h.slice(0, n).every((x) => x === 0);
  if (zeroUntil(5) && h[5] === 0xffff) return v4(h[6]!, h[7]!); // ::ffff:a.b.c.d
  if (zeroUntil(6) && (h[6]! !== 0 || h[7]! > 1)) return v4(h[6]!, h[7]!); // ::a.b.c.d (deprecated)
  if (h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0)) return v4(h[6]!, h[7]!); // NAT64
  if (h[0] === 0x2002) return v4(h[1]!, h[2]!); // 6to4
  return undefined;
}

/** Why Rabt never delivers to `address` (e.g. "a private address"), or undefined for a public address. */
export function blockedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const kind = family === 4 ? 'ipv4' : 'ipv6';
  for (const [reason, list] of BLOCKED) if (list.check(address, kind)) return reason;
  if (family === 6) {
    const inner = embeddedIpv4(address);
    const reason = inner ? blockedAddressReason(inner) : undefined;
    if (reason) return `${reason} (${inner}, embedded in the IPv6 address)`;
  }
  return undefined;
}

/** RABT_WEBHOOK_ALLOW_HOSTS: comma-separated `host`, `host:port`, `[ipv6]` or `[ipv6]:port`. RangeError naming bad entries. */
export function parseAllowList(text: string): WebhookAllowList {
  const entries = text
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const bad: string[] = [];
  const list = entries.flatMap((entry): AllowedHost[] => {
    const m = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(entry) ?? (entry.split(':').length > 2 ? [entry, entry, undefined] : /^([a-z0-9.-]+)(?::(\d+))?$/.exec(entry));
    const host = m?.[1]?.replace(/\.$/, '');
    const port = m?.[2] === undefined ? undefined : Number(m[2]);
    if (!host || (host.includes(':') && isIP(host) !== 6) || (port !== undefined && (port < 1 || port > 65535))) {
      bad.push(entry);
      return [];
    }
    return [{ host, ...(port === undefined ? {} : { port }) }];
  });
  if (bad.length > 0) throw new RangeError(`not a host, host:port, [ipv6] or [ipv6]:port: ${bad.join(', ')}`);
  return list;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

export function isAllowListed(url: URL, allowList: WebhookAllowList): boolean {
  const host = hostOf(url);
  const port = portOf(url);
  return allowList.some((a) => a.host === host && (a.port === undefined || a.port === port));
}

function refuse(url: string, reason: string): never {
  throw subscriptionError(Code.WEBHOOK_URL_REFUSED, `webhook URL ${url} refused: ${reason}`, { errors: [{ path: 'webhook.url', message: reason }] });
}

async function resolveWithin(resolve: HostResolver, hostname: string, url: string): Promise<readonly ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      resolve(hostname),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), RESOLVE_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    return refuse(url, `its host ${hostname} cannot be resolved (${(e as { code?: string }).code ?? (e as Error).message})`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks a webhook URL: absolute https (http only for allow-listed hosts), no credentials, no
 * fragment; then, unless the host is allow-listed, every address it resolves to (or the IP it
 * is) must be public — not private, loopback, link-local, unique-local, CGNAT, unspecified,
 * multicast, reserved or a cloud metadata address, also when written as IPv4-mapped IPv6.
 * Throws WEBHOOK_URL_REFUSED saying why.
 */
export async function checkWebhookUrl(url: string, allowList: WebhookAllowList, resolve: HostResolver = systemResolver): Promise<CheckedWebhookUrl> {
  const shown = url.length > 200 ? `${url.slice(0, 200)}…` : url;
  if (url.length > MAX_WEBHOOK_URL_LENGTH) refuse(shown, `it is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol)) return refuse(shown, 'it is not an absolute http(s) URL');
  if (parsed.username || parsed.password) refuse(shown, 'it contains credentials; Rabt authenticates itself by signing each delivery');
  if (parsed.hash) refuse(shown, 'it has a #fragment, which is never sent');
  const hostname = hostOf(parsed);
  const port = portOf(parsed);
  const allowListed = isAllowListed(parsed, allowList);
  if (allowListed) return { url: parsed.href, hostname, port, allowListed, addresses: [] };
  if (parsed.protocol === 'http:') refuse(parsed.href, `plain http is allowed only for hosts on the operator allow-list (RABT_WEBHOOK_ALLOW_HOSTS); use https`);
  const literal = isIP(hostname);
  const addresses = literal ? [{ address: hostname, family: literal }] : await resolveWithin(resolve, hostname, parsed.href);
  if (addresses.length === 0) refuse(parsed.href, `its host ${hostname} resolves to no address`);
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) refuse(parsed.href, literal ? `${hostname} is ${reason}` : `${hostname} resolves to ${reason} ${address}`);
  }
  return { url: parsed.href, hostname, port, allowListed, addresses };
}
