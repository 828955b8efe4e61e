import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '@rabt/config';
import { DEFAULT_OPS_URL, DEFAULT_REGISTRY_URL, loadCliConfig, loadOpsCliConfig } from './cli.config';

describe('CLI configuration', () => {
  it('defaults to the local registry, without credentials', () => {
    expect(loadCliConfig({}, {})).toEqual({ registryUrl: DEFAULT_REGISTRY_URL, agency: undefined, apiKey: undefined });
  });

  it('reads RABT_REGISTRY_URL, RABT_AGENCY and RABT_API_KEY', () => {
    expect(loadCliConfig({}, { RABT_REGISTRY_URL: 'https://registry.example.om/', RABT_AGENCY: 'ita', RABT_API_KEY: 'k1' })).toEqual({
      registryUrl: 'https://registry.example.om',
      agency: 'ita',
      apiKey: 'k1',
    });
  });

  it('lets flags override the environment', () => {
    const env = { RABT_REGISTRY_URL: 'http://a:1', RABT_AGENCY: 'ita', RABT_API_KEY: 'k1' };
    expect(loadCliConfig({ registry: 'http://b:2', agency: 'mom', apiKey: 'k2' }, env)).toEqual({ registryUrl: 'http://b:2', agency: 'mom', apiKey: 'k2' });
  });

  it('lists every bad value, and never echoes the key', () => {
    expect(() => loadCliConfig({}, { RABT_REGISTRY_URL: 'registry', RABT_AGENCY: 'MoM' })).toThrow(ConfigValidationError);
    try {
      loadCliConfig({ registry: 'ftp://x', agency: 'Ita', apiKey: '' }, {});
      expect.unreachable();
    } catch (e) {
      const problems = (e as ConfigValidationError).problems;
      expect(problems).toEqual([
        '--registry: must be an http:// or https:// URL (got "ftp://x")',
        '--agency: must be a lower-case agency code such as mom or ita (got "Ita")',
        '--api-key: must not be empty (got (secret, not shown))',
      ]);
    }
  });
});

describe('ops configuration', () => {
  it('defaults to the local ops service and ~/.config/rabt', () => {
    expect(loadOpsCliConfig({}, {}, '/home/aisha')).toEqual({ opsUrl: DEFAULT_OPS_URL, sessionFile: '/home/aisha/.config/rabt/ops-session.json' });
  });

  it('reads RABT_OPS_URL and XDG_CONFIG_HOME; --ops overrides', () => {
    expect(loadOpsCliConfig({}, { RABT_OPS_URL: 'https://ops.example.om/', XDG_CONFIG_HOME: '/cfg' }, '/h')).toEqual({ opsUrl: 'https://ops.example.om', sessionFile: '/cfg/rabt/ops-session.json' });
    expect(loadOpsCliConfig({ ops: 'http://o:1' }, {}, '/h').opsUrl).toBe('http://o:1');
    expect(() => loadOpsCliConfig({ ops: 'o:1' }, {}, '/h')).toThrow(ConfigValidationError);
    expect(() => loadOpsCliConfig({}, { XDG_CONFIG_HOME: 'relative' }, '/h')).toThrow(ConfigValidationError);
  });
});
