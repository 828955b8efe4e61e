import { afterEach, describe, expect, it } from 'vitest';
import { loadSimulatorConfig, parseDelay, SimulatorConfigError } from './simulator.config';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const touched: string[] = [];
const setEnv = (vars: Record<string, string>) => {
  for (const [k, v] of Object.entries(vars)) {
    touched.push(k);
    process.env[k] = v;
  }
};
afterEach(() => {
  for (const k of touched.splice(0)) delete process.env[k];
});

function problemsOf(argv: string[]): string {
  try {
    loadSimulatorConfig(argv);
  } catch (e) {
    if (e instanceof SimulatorConfigError) return e.problems.join('\n');
    throw e;
  }
  throw new Error('expected a configuration error');
}

describe('simulator configuration', () => {
  it('runs the agencies that have a key, with the documented default ports and behaviour', () => {
    const config = loadSimulatorConfig(['--rop-api-key', 'rabt_rop_x', '--rop-webhook-secrets', `${SECRET}, ${SECRET}2`]);
    expect(config.gatewayUrl).toBe('http://127.0.0.1:8080');
    expect(config.agencies).toEqual([{ agency: 'rop', apiKey: 'rabt_rop_x', webhookSecrets: [SECRET, `${SECRET}2`], port: 8092, delay: { minMs: 300, maxMs: 1200 }, failureRate: 0, mode: 'act' }]);
  });

  it('reads variables, and a per-agency setting overrides the general one', () => {
    setEnv({ SIM_MOCI_API_KEY: 'k', SIM_MOCI_WEBHOOK_SECRETS: SECRET, SIM_DELAY_MS: '10', SIM_MOCI_MODE: 'stall', SIM_FAILURE_RATE: '0.25', RABT_GATEWAY_URL: 'http://gw:9000/' });
    const config = loadSimulatorConfig(['--moci-failure-rate', '0.5']);
    expect(config.gatewayUrl).toBe('http://gw:9000');
    expect(config.agencies[0]).toMatchObject({ agency: 'moci', delay: { minMs: 10, maxMs: 10 }, mode: 'stall', failureRate: 0.5 });
  });

  it('names every bad flag or variable at once', () => {
    setEnv({ SIM_MOM_API_KEY: 'k', SIM_MOM_WEBHOOK_SECRETS: 'not-a-secret', SIM_ROP_API_KEY: 'k', SIM_ROP_WEBHOOK_SECRETS: SECRET, SIM_ROP_PORT: '8091' });
    const problems = problemsOf(['--delay', 'soon', '--failure-rate', '2', '--mode', 'sleep', '--gateway', 'ftp://x', '--agencies', 'mom,rop,mm']);
    for (const name of ['--delay (SIM_DELAY_MS)', '--failure-rate (SIM_FAILURE_RATE)', '--mode (SIM_MODE)', '--gateway (RABT_GATEWAY_URL)', 'unknown agency mm', 'SIM_MOM_WEBHOOK_SECRETS', 'same port 8091']) {
      expect(problems).toContain(name);
    }
  });

  it("an agency with a TLS certificate and key serves mutual TLS for Rabt's dispatcher; both and Rabt's CA are required", () => {
    const base = ['--epay-api-key', 'rabt_epay_x', '--epay-webhook-secrets', SECRET];
    const config = loadSimulatorConfig([...base, '--epay-tls-cert', 'e.crt', '--epay-tls-key', 'e.key', '--rabt-ca', 'ca.crt']);
    expect(config.agencies[0]!.tls).toEqual({ certFile: 'e.crt', keyFile: 'e.key', rabtCaFile: 'ca.crt' });
    expect(loadSimulatorConfig(base).agencies[0]!.tls).toBeUndefined();
    expect(problemsOf([...base, '--epay-tls-cert', 'e.crt', '--rabt-ca', 'ca.crt'])).toContain('--epay-tls-cert and --epay-tls-key (SIM_EPAY_TLS_CERT, SIM_EPAY_TLS_KEY): give both or neither');
    expect(problemsOf([...base, '--epay-tls-cert', 'e.crt', '--epay-tls-key', 'e.key'])).toContain('--rabt-ca (SIM_RABT_CA): required');
  });

  it('refuses to start with nothing to simulate', () => {
    expect(problemsOf([])).toContain('no agency to simulate');
  });

  it('reads delays as milliseconds or a range', () => {
    expect(parseDelay('250')).toEqual({ minMs: 250, maxMs: 250 });
    expect(parseDelay('100-900')).toEqual({ minMs: 100, maxMs: 900 });
    expect(parseDelay('900-100')).toBeUndefined();
    expect(parseDelay('1s')).toBeUndefined();
  });
});
