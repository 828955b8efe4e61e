import { describe, expect, it } from 'vitest';
import { parseAllowList, type HostResolver } from '@rabt/routing';
import { resolveWebhookTarget, WebhookDnsError, WebhookUrlRefusedError } from './webhook.target';

/** A resolver that answers from a table and counts its calls. */
function fakeDns(table: Record<string, string[]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

describe('the delivery-time SSRF guard', () => {
  it('resolves a public host once, checks it, and pins the connection to the checked address', async () => {
    const dns = fakeDns({ 'hooks.rop.example': ['93.184.216.34', '93.184.216.35'] });
    const target = await resolveWebhookTarget('https://hooks.rop.example/rabt?x=1', [], dns);
    expect(target).toMatchObject({ hostname: 'hooks.rop.example', port: 443, address: '93.184.216.34', family: 4 });
    expect(target.url.href).toBe('https://hooks.rop.example/rabt?x=1');
    expect(dns.calls).toEqual(['hooks.rop.example']);
  });

  it('refuses a host that resolves to a private, loopback or metadata address (any of its addresses)', async () => {
    const dns = fakeDns({ 'rebound.example': ['93.184.216.34', '10.0.0.7'], 'meta.example': ['169.254.169.254'], localhost: ['127.0.0.1'] });
    await expect(resolveWebhookTarget('https://rebound.example/h', [], dns)).rejects.toThrow(WebhookUrlRefusedError);
    // The reason never says which address, nor what kind: the same words for each.
    for (const host of ['rebound.example', 'meta.example', 'localhost']) {
      await expect(resolveWebhookTarget(`https://${host}/h`, [], dns)).rejects.toThrow(new RegExp(`${host.replace('.', '\\.')} resolves to a non-public address$`));
    }
    await expect(resolveWebhookTarget('https://[::ffff:10.1.2.3]/h', [], dns)).rejects.toThrow(WebhookUrlRefusedError);
  });

  it('refuses plain http unless allow-listed', async () => {
    await expect(resolveWebhookTarget('http://93.184.216.34/h', [], fakeDns({}))).rejects.toThrow(/plain http/);
  });

  it('a host that cannot be resolved now is a passing failure, not a refusal', async () => {
    await expect(resolveWebhookTarget('https://gone.example/h', [], fakeDns({}))).rejects.toThrow(WebhookDnsError);
  });

  it('an allow-listed IP is used as it is; an allow-listed name is still resolved once and pinned', async () => {
    const dns = fakeDns({ 'receiver.internal': ['10.20.30.40'] });
    const allow = parseAllowList('127.0.0.1,receiver.internal:8443');
    expect(await resolveWebhookTarget('http://127.0.0.1:9000/h', allow, dns)).toMatchObject({ address: '127.0.0.1', port: 9000, family: 4 });
    expect(dns.calls).toEqual([]);
    expect(await resolveWebhookTarget('https://receiver.internal:8443/h', allow, dns)).toMatchObject({ hostname: 'receiver.internal', address: '10.20.30.40' });
    expect(dns.calls).toEqual(['receiver.internal']);
    await expect(resolveWebhookTarget('https://receiver.internal:9443/h', allow, dns)).rejects.toThrow(/non-public address/); // another port is not allow-listed
  });
});
