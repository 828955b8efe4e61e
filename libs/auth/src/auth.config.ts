import { z } from 'zod';
import { fragment } from '@rabt/config';

export const DEVELOPMENT_PEPPER = 'rabt-local-development-pepper-not-for-production';

export abstract class AuthConfig {
  abstract readonly apiKeyPepper: string;
  /** True while the pepper is the built-in development value (development mode only). */
  abstract readonly developmentPepper: boolean;
}

export const authFragment = () =>
  fragment({
    token: AuthConfig,
    env: {
      RABT_API_KEY_PEPPER: z.string().min(32, { message: 'must be at least 32 characters' }).default(DEVELOPMENT_PEPPER),
    },
    secrets: ['RABT_API_KEY_PEPPER'],
    unsafe: (e, { given }) =>
      !given.has('RABT_API_KEY_PEPPER')
        ? [{ variable: 'RABT_API_KEY_PEPPER', problem: 'is not set, and the built-in development pepper is public; set a secret of at least 32 characters' }]
        : e.RABT_API_KEY_PEPPER === DEVELOPMENT_PEPPER
          ? [{ variable: 'RABT_API_KEY_PEPPER', problem: 'is the built-in development pepper, which is public; set a secret of at least 32 characters' }]
          : [],
    map: (e): AuthConfig => ({ apiKeyPepper: e.RABT_API_KEY_PEPPER, developmentPepper: e.RABT_API_KEY_PEPPER === DEVELOPMENT_PEPPER }),
  });
