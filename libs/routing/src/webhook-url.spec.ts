import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SubscriptionException, SubscriptionExceptionCode } from './subscription.exception';
import { blockedAddressReason, checkWebhookUrl, parseAllowList, type HostResolver } from './webhook-url';

/** A resolver answering from a table; unknown names fail like getaddrinfo does. */
function resolver(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

const dns = resolver({
  'hooks.rop.gov.om': ['203.0.114.10', '2a00:1450:4001:80b::200e'],
  'internal.rop.gov.om': ['203.0.114.11', '10.0.0.5'],
  localhost: ['127.0.0.1', '::1'],
  'metadata.google.internal': ['169.254.169.254'],
  'rebind.example': ['::ffff:192.168.1.10'],
  'empty.example': [],
});

async function refusedBecause(url: string, allow = '', resolve: HostResolver = dns): Promise<string> {
  try {
    await checkWebhookUrl(url, parseAllowList(allow), resolve);
  } catch (e) {
    expect(e).toBeInstanceOf(SubscriptionException);
    expect((e as SubscriptionException).code).toBe(SubscriptionExceptionCode.WEBHOOK_URL_REFUSED);
    return (e as SubscriptionException).message;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('blockedAddressReason', () => {
  it.each([
    ['10.1.2.3', 'a private address'],
    ['172.31.255.1', 'a private address'],
    ['192.168.0.1', 'a private address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['169.254.10.20', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['fd12:3456::1', 'a unique-local (private) address'],
    ['fc00::1', 'a unique-local (private) address'],
    ['100.64.0.1', 'a carrier-grade NAT (shared) address'],
    ['100.127.255.254', 'a carrier-grade NAT (shared) address'],
    ['0.0.0.0', 'an unspecified ("this network") address'],
    ['0.1.2.3', 'an unspecified ("this network") address'],
    ['::', 'an unspecified ("this network") address'],
    ['224.0.0.251', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['255.255.255.255', 'a reserved or documentation address'],
    ['192.0.2.1', 'a reserved or documentation address'],
  ])('%s is %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each([
    ['::ffff:10.0.0.5', 'a private address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['64:ff9b::a9fe:a9fe', 'a cloud metadata address (169.254.169.254, embedded in the IPv6 address)'],
    ['2002:c0a8:0101::1', 'a private address (192.168.1.1, embedded in the IPv6 address)'],
    ['::127.0.0.1', 'a loopback address (127.0.0.1, embedded in the IPv6 address)'],
  ])('IPv4 inside IPv6: %s is %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each(['203.0.114.10', '8.8.8.8', '100.128.0.1', '172.32.0.1', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is public', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });
});

describe('checkWebhookUrl', () => {
  it('accepts https to a host whose every address is public, and returns the addresses to connect to', async () => {
    const checked = await checkWebhookUrl('https://Hooks.ROP.gov.om/rabt/events?v=1', [], dns);
    expect(checked).toEqual({
      url: 'https://hooks.rop.gov.om/rabt/events?v=1',
      hostname: 'hooks.rop.gov.om',
      port: 443,
      allowListed: false,
      addresses: [
        { address: '203.0.114.10', family: 4 },
        { address: '2a00:1450:4001:80b::200e', family: 6 },
      ],
    });
  });

  it('refuses private, loopback, link-local and metadata addresses, written any way, saying why', async () => {
    expect(await refusedBecause('https://10.1.2.3/x')).toBe('webhook URL https://10.1.2.3/x refused: 10.1.2.3 is a private address');
    expect(await refusedBecause('https://internal.rop.gov.om/x')).toBe('webhook URL https://internal.rop.gov.om/x refused: internal.rop.gov.om resolves to a non-public address');
    expect(await refusedBecause('https://localhost/x')).toMatch(/localhost resolves to a non-public address$/);
    expect(await refusedBecause('https://LOCALHOST./x')).toMatch(/localhost resolves to a non-public address$/);
    expect(await refusedBecause('https://metadata.google.internal/computeMetadata/v1')).toMatch(/metadata\.google\.internal resolves to a non-public address$/);
    expect(await refusedBecause('https://169.254.169.254/latest/meta-data')).toMatch(/169\.254\.169\.254 is a cloud metadata address$/);
    expect(await refusedBecause('https://[fd00:ec2::254]/latest')).toMatch(/fd00:ec2::254 is a cloud metadata address$/);
    expect(await refusedBecause('https://[::ffff:127.0.0.1]/x')).toMatch(/::ffff:7f00:1 is a loopback address$/);
    expect(await refusedBecause('https://2130706433/x')).toMatch(/127\.0\.0\.1 is a loopback address$/);
    expect(await refusedBecause('https://0x7f.1/x')).toMatch(/127\.0\.0\.1 is a loopback address$/);
    expect(await refusedBecause('https://0/x')).toMatch(/0\.0\.0\.0 is an unspecified/);
    expect(await refusedBecause('https://rebind.example/x')).toMatch(/rebind\.example resolves to a non-public address$/);
    expect(await refusedBecause('https://[64:ff9b::7f00:1]/x')).toMatch(/64:ff9b::7f00:1 is a loopback address \(127\.0\.0\.1, embedded in the IPv6 address\)$/);
    expect(await refusedBecause('https://[2001::1]/x')).toMatch(/2001::1 is a Teredo tunnelling address$/);
  });

  it('never names the address a refused host name resolves to, nor its kind', async () => {
    for (const host of ['internal.rop.gov.om', 'localhost', 'metadata.google.internal', 'rebind.example']) {
      const message = await refusedBecause(`https://${host}/x`);
      expect(message).not.toMatch(/10\.0\.0\.5|127\.0\.0\.1|::1|169\.254|192\.168|private|loopback|metadata address/);
    }
  });

  it('refuses plain http, other schemes, credentials and fragments', async () => {
    expect(await refusedBecause('http://hooks.rop.gov.om/x')).toMatch(/plain http is allowed only for hosts on the operator allow-list \(RABT_WEBHOOK_ALLOW_HOSTS\); use https$/);
    expect(await refusedBecause('http://169.254.169.254/latest')).toMatch(/plain http is allowed only/);
    expect(await refusedBecause('ftp://hooks.rop.gov.om/x')).toMatch(/it is not an absolute http\(s\) URL$/);
    expect(await refusedBecause('/relative/hook')).toMatch(/it is not an absolute http\(s\) URL$/);
    expect(await refusedBecause('file:///etc/passwd')).toMatch(/not an absolute http\(s\) URL/);
    expect(await refusedBecause('https://user:secret@hooks.rop.gov.om/x')).toMatch(/it contains credentials/);
    expect(await refusedBecause('https://hooks.rop.gov.om/x#part')).toMatch(/#fragment/);
    expect(await refusedBecause(`https://hooks.rop.gov.om/${'a'.repeat(2100)}`)).toMatch(/longer than 2048 characters/);
  });

  it('refuses hosts that do not resolve', async () => {
    expect(await refusedBecause('https://nowhere.example/x')).toBe('webhook URL https://nowhere.example/x refused: its host nowhere.example cannot be resolved (ENOTFOUND)');
    expect(await refusedBecause('https://empty.example/x')).toMatch(/resolves to no address/);
  });

  it('lets allow-listed hosts through, also over http, without resolving them; host:port entries only on that port', async () => {
    const resolve = resolver({});
    const allow = parseAllowList('127.0.0.1, receiver.local:8443, [::1]:9000');
    expect(await checkWebhookUrl('http://127.0.0.1:4567/hook', allow, resolve)).toMatchObject({ url: 'http://127.0.0.1:4567/hook', allowListed: true, addresses: [] });
    expect((await checkWebhookUrl('https://receiver.local:8443/hook', allow, resolve)).allowListed).toBe(true);
    expect((await checkWebhookUrl('http://[::1]:9000/hook', allow, resolve)).allowListed).toBe(true);
    expect(resolve.asked).toEqual([]);
    expect(await refusedBecause('https://receiver.local/hook', 'receiver.local:8443')).toMatch(/cannot be resolved/);
    expect(await refusedBecause('http://[::1]:9001/hook', '[::1]:9000')).toMatch(/plain http is allowed only/);
    expect(await refusedBecause('https://127.0.0.2/hook', '127.0.0.1')).toMatch(/127\.0\.0\.2 is a loopback address/);
  });
});

describe('parseAllowList (RABT_WEBHOOK_ALLOW_HOSTS)', () => {
  it('reads hosts, host:port, [ipv6], [ipv6]:port and bare IPv6, ignoring blanks and case', () => {
    expect(parseAllowList(' 127.0.0.1 , Receiver.Local:8443,,[::1]:9000, ::1, localhost.')).toEqual([
      { host: '127.0.0.1' },
      { host: 'receiver.local', port: 8443 },
      { host: '::1', port: 9000 },
      { host: '::1' },
      { host: 'localhost' },
    ]);
    expect(parseAllowList('')).toEqual([]);
  });

  it('names every bad entry', () => {
    expect(() => parseAllowList('ok.host, https://x.y, a b, host:99999, [zz]:1')).toThrow('not a host, host:port, [ipv6] or [ipv6]:port: https://x.y, a b, host:99999, [zz]:1');
  });
});

describe('blockedAddressReason: NAT64, Teredo, 6to4 and IPv4-translated addresses (ipaddr.js ranges)', () => {
  it.each([
    ['64:ff9b::7f00:1', 'a loopback address (127.0.0.1, embedded in the IPv6 address)'],
    ['64:ff9b::10.0.0.1', 'a private address (10.0.0.1, embedded in the IPv6 address)'],
    ['64:ff9b:1::808:808', 'a local-use NAT64 address'],
    ['64:ff9b:1:abcd::1', 'a local-use NAT64 address'],
    ['2001::1', 'a Teredo tunnelling address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'a Teredo tunnelling address'],
    ['2002:7f00:1::1', 'a loopback address (127.0.0.1, embedded in the IPv6 address)'],
    ['2002:a9fe:a9fe::', 'a cloud metadata address (169.254.169.254, embedded in the IPv6 address)'],
    ['::ffff:0:a00:1', 'a private address (10.0.0.1, embedded in the IPv6 address)'],
    ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
    ['::8.8.8.8', 'a deprecated IPv4-compatible address'],
    ['2001:db8::1', 'a reserved or documentation address'],
    ['100::1', 'a reserved or documentation address'],
    ['fec0::1', 'a unique-local (private) address'],
    ['255.255.255.255', 'a reserved or documentation address'],
  ])('%s is %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each(['2002:808:808::1', '64:ff9b::8.8.4.4', '2a02:26f0::1'])('%s is public', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });
});

const hex4 = (a: number, b: number) => ((a << 8) | b).toString(16);
/** The ways an IPv4 address can ride inside an IPv6 one: mapped, translated, NAT64 well-known prefix, 6to4. */
const carriers = ([a, b, c, d]: number[]) => [
  `::ffff:${a}.${b}.${c}.${d}`,
  `::ffff:${hex4(a!, b!)}:${hex4(c!, d!)}`,
  `::ffff:0:${hex4(a!, b!)}:${hex4(c!, d!)}`,
  `64:ff9b::${hex4(a!, b!)}:${hex4(c!, d!)}`,
  `2002:${hex4(a!, b!)}:${hex4(c!, d!)}::1`,
];
const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const cidr = (base: number[], bits: number) =>
  octets.map((o) => {
    const value = ((base[0]! << 24) | (base[1]! << 16) | (base[2]! << 8) | base[3]!) >>> 0;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const random = ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
    const v = ((value & mask) | (random & ~mask)) >>> 0;
    return [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  });
const internalV4 = fc.oneof(cidr([10, 0, 0, 0], 8), cidr([172, 16, 0, 0], 12), cidr([192, 168, 0, 0], 16), cidr([127, 0, 0, 0], 8), cidr([169, 254, 0, 0], 16), cidr([100, 64, 0, 0], 10), cidr([0, 0, 0, 0], 8));

describe('blockedAddressReason, properties', () => {
  it('an IPv4 address is blocked exactly when every IPv6 form that carries it is', () => {
    fc.assert(
      fc.property(octets, (o) => {
        const v4 = o.join('.');
        const blocked = blockedAddressReason(v4) !== undefined;
        for (const v6 of carriers(o)) expect(blockedAddressReason(v6) !== undefined, `${v4} as ${v6}`).toBe(blocked);
      }),
      { numRuns: 500 },
    );
  });

  it('every private, loopback, link-local, shared or "this network" IPv4 address is blocked, written any way', () => {
    fc.assert(
      fc.property(internalV4, (o) => {
        for (const form of [o.join('.'), ...carriers(o)]) expect(blockedAddressReason(form), form).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it('all of Teredo, local-use NAT64, unique-local, link-local and multicast IPv6 is blocked', () => {
    const inPrefix = (prefix: number[], bits: number) =>
      fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((parts) => {
        const out = parts.map((p, i) => {
          const keep = Math.max(0, Math.min(16, bits - i * 16));
          const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
          return ((prefix[i] ?? 0) & mask) | (p & ~mask & 0xffff);
        });
        return out.map((h) => h.toString(16)).join(':');
      });
    fc.assert(
      fc.property(
        fc.oneof(inPrefix([0x2001, 0], 32), inPrefix([0x64, 0xff9b, 1], 48), inPrefix([0xfc00], 7), inPrefix([0xfe80], 10), inPrefix([0xff00], 8)),
        (address) => {
          expect(blockedAddressReason(address), address).toBeDefined();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), (s) => void blockedAddressReason(s)), { numRuns: 1000 });
  });

  it('a refused host name never reveals the address it resolves to', async () => {
    await fc.assert(
      fc.asyncProperty(internalV4, fc.boolean(), async (o, asIpv6) => {
        const address = asIpv6 ? `::ffff:${hex4(o[0]!, o[1]!)}:${hex4(o[2]!, o[3]!)}` : o.join('.');
        const message = await refusedBecause('https://hooks.example.om/x', '', async () => [{ address, family: asIpv6 ? 6 : 4 }]);
        expect(message).toBe('webhook URL https://hooks.example.om/x refused: hooks.example.om resolves to a non-public address');
      }),
      { numRuns: 200 },
    );
  });
});
