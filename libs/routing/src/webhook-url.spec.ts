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
    expect(await refusedBecause('https://internal.rop.gov.om/x')).toBe('webhook URL https://internal.rop.gov.om/x refused: internal.rop.gov.om resolves to a private address 10.0.0.5');
    expect(await refusedBecause('https://localhost/x')).toMatch(/localhost resolves to a loopback address 127\.0\.0\.1$/);
    expect(await refusedBecause('https://LOCALHOST./x')).toMatch(/localhost resolves to a loopback address/);
    expect(await refusedBecause('https://metadata.google.internal/computeMetadata/v1')).toMatch(/resolves to a cloud metadata address 169\.254\.169\.254$/);
    expect(await refusedBecause('https://169.254.169.254/latest/meta-data')).toMatch(/169\.254\.169\.254 is a cloud metadata address$/);
    expect(await refusedBecause('https://[fd00:ec2::254]/latest')).toMatch(/fd00:ec2::254 is a cloud metadata address$/);
    expect(await refusedBecause('https://[::ffff:127.0.0.1]/x')).toMatch(/::ffff:7f00:1 is a loopback address$/);
    expect(await refusedBecause('https://2130706433/x')).toMatch(/127\.0\.0\.1 is a loopback address$/);
    expect(await refusedBecause('https://0x7f.1/x')).toMatch(/127\.0\.0\.1 is a loopback address$/);
    expect(await refusedBecause('https://0/x')).toMatch(/0\.0\.0\.0 is an unspecified/);
    expect(await refusedBecause('https://rebind.example/x')).toMatch(/rebind\.example resolves to a private address ::ffff:192\.168\.1\.10$/);
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
