import { describe, expect, it } from 'vitest';
import { canSee, hasRole } from './roles';

describe('roles', () => {
  it('ranks viewer < operator < admin', () => {
    expect(hasRole('viewer', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'operator')).toBe(false);
    expect(hasRole('operator', 'operator')).toBe(true);
    expect(hasRole('operator', 'admin')).toBe(false);
    expect(hasRole('admin', 'operator')).toBe(true);
    expect(hasRole('admin', 'viewer')).toBe(true);
  });

  it('lets a Rabt operator see everything and an agency integrator only its own agency', () => {
    expect(canSee({ agency: null }, ['rop'])).toBe(true);
    expect(canSee({ agency: 'rop' }, ['rop', 'mom'])).toBe(true);
    expect(canSee({ agency: 'moci' }, ['rop', 'mom'])).toBe(false);
    expect(canSee({ agency: 'moci' }, [])).toBe(false);
  });
});
