import { z } from 'zod';
import { fragment } from '@rabt/config';

export const DEFAULT_API_KEY_EXPIRY_WARNING_DAYS = 14;

export abstract class KeyExpiryConfig {
  /** Keys that expire within this many days are reported (console warning, gateway metric). */
  abstract readonly warningDays: number;
}

/** RABT_API_KEY_EXPIRY_WARNING_DAYS (default 14): how far ahead an API key's expiry is warned of. */
export const keyExpiryFragment = () =>
  fragment({
    token: KeyExpiryConfig,
    env: {
      RABT_API_KEY_EXPIRY_WARNING_DAYS: z.coerce
        .number({ message: 'must be a number of days' })
        .int({ message: 'must be a whole number' })
        .positive({ message: 'must be greater than 0' })
        .max(3650, { message: 'must be at most 3650' })
        .default(DEFAULT_API_KEY_EXPIRY_WARNING_DAYS),
    },
    map: (e): KeyExpiryConfig => ({ warningDays: e.RABT_API_KEY_EXPIRY_WARNING_DAYS }),
  });
