// The SSRF guard for webhook URLs: Rabt must never be made to send requests into its own
// network. Checked when a subscription is created or enabled, and by the dispatcher before every
// delivery (resolve first, then check every address; connect only to an address checked here).
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
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

// Address ranges Rabt never delivers to, classified by ipaddr.js (its IANA special-purpose
// ranges), with the IPv4 address inside an IPv4-mapped, IPv4-translated, NAT64 or 6to4 IPv6
// address classified as that IPv4 address.
const METADATA_V4 = ['169.254.169.254', '168.63.129.16', '100.100.100.200'];
const METADATA_V6 = ['fd00:ec2::254'];
const METADATA = 'a cloud metadata address';

const REASONS: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified ("this network") address',
  loopback: 'a loopback address',
  private: 'a private address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local (private) address',
  deprecatedSiteLocal: 'a unique-local (private) address',
  multicast: 'a multicast address',
  teredo: 'a Teredo tunnelling address',
};
const RESERVED = 'a reserved or documentation address';

/** The IPv4 address in the low 32 bits of an IPv6 address. */
function low32(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const p = v6.parts;
  return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
}

function reasonV4(v4: ipaddr.IPv4): string | undefined {
  const text = v4.toString();
  if (METADATA_V4.includes(text)) return METADATA;
  const range = v4.range();
  if (range === 'unicast') return undefined;
  return REASONS[range] ?? RESERVED;
}

function embedded(inner: ipaddr.IPv4): string | undefined {
  const reason = reasonV4(inner);
  return reason ? `${reason} (${inner.toString()}, embedded in the IPv6 address)` : undefined;
}

function reasonV6(v6: ipaddr.IPv6): string | undefined {
  if (METADATA_V6.some((m) => ipaddr.IPv6.parse(m).toNormalizedString() === v6.toNormalizedString())) return METADATA;
  const p = v6.parts;
  const range = v6.range();
  switch (range) {
    case 'unicast':
      // ::a.b.c.d, the deprecated IPv4-compatible form (::/96 beyond :: and ::1): never a destination.
      if (p.slice(0, 6).every((x) => x === 0)) return embedded(low32(v6)) ?? 'a deprecated IPv4-compatible address';
      return undefined;
    case 'ipv4Mapped':
      return reasonV4(v6.toIPv4Address());
    case 'rfc6145':
      return embedded(low32(v6));
    case 'rfc6052':
      // 64:ff9b::/96 carries the IPv4 address in its last 32 bits; 64:ff9b:1::/48 is for local use only.
      return p[2] === 0 ? embedded(low32(v6)) : 'a local-use NAT64 address';
    case '6to4':
      return embedded(new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]));
    default:
      return REASONS[range] ?? RESERVED;
  }
}

/**
 * An IPv6 address in its WHATWG form (all hex, compressed): ipaddr.js reads any trailing dotted
 * quad as IPv4-mapped, so `::127.0.0.1` must reach it as `::7f00:1`. A zone (`%eth0`) is dropped.
 */
function canonicalIpv6(address: string): string {
  return new URL(`http://[${address.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
}

/** Why Rabt never delivers to `address` (e.g. "a private address"), or undefined for a public address. */
export function blockedAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4 && ipaddr.IPv4.isValidFourPartDecimal(address)) return reasonV4(ipaddr.IPv4.parse(address));
  if (family === 6) {
    const canonical = URL.canParse(`http://[${address.replace(/%.*$/, '')}]/`) ? canonicalIpv6(address) : undefined;
    if (canonical && ipaddr.IPv6.isValid(canonical)) return reasonV6(ipaddr.IPv6.parse(canonical));
  }
  return 'not an IP address';
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
 * is) must be public unicast (blockedAddressReason). Throws WEBHOOK_URL_REFUSED saying why; for
 * a host name, without the address it resolves to or its kind, so that refusals cannot map
 * Rabt's internal DNS.
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
    // An IP address in the URL is the caller's own; what a host name resolves to is never told.
    if (reason) refuse(parsed.href, literal ? `${hostname} is ${reason}` : `${hostname} resolves to a non-public address`);
  }
  return { url: parsed.href, hostname, port, allowListed, addresses };
}
