import { z } from 'zod';
import { fragment } from '@rabt/config';
import { decodeSecretKey, SecretBox } from './secret-box';

/**
 * The built-in development key (the 32 ASCII bytes `rabt-dev-secret-key-not-for-prod`, base64).
 * It is public: anything sealed with it is as good as clear text, so only development mode accepts it.
 */
export const DEVELOPMENT_SECRET_KEY = 'cmFidC1kZXYtc2VjcmV0LWtleS1ub3QtZm9yLXByb2Q=';

export abstract class SecretKeyConfig {
  /** Seals and opens secrets kept at rest (webhook signing secrets) under RABT_SECRET_KEY. */
  abstract readonly box: SecretBox;
  /** True while the key is the built-in development value (development mode only). */
  abstract readonly developmentKey: boolean;
}

/** RABT_SECRET_KEY: 32 random bytes as base64 (`openssl rand -base64 32`), a server-side secret. */
export const secretKeyFragment = () =>
  fragment({
    token: SecretKeyConfig,
    env: {
      RABT_SECRET_KEY: z
        .string()
        .default(DEVELOPMENT_SECRET_KEY)
        .superRefine((value, ctx) => {
          try {
            decodeSecretKey(value);
          } catch (e) {
            ctx.addIssue({ code: 'custom', message: (e as Error).message });
          }
        }),
    },
    secrets: ['RABT_SECRET_KEY'],
    unsafe: (e, { given }) =>
      !given.has('RABT_SECRET_KEY')
        ? [{ variable: 'RABT_SECRET_KEY', problem: 'is not set, and the built-in development key is public; set 32 random bytes as base64 (openssl rand -base64 32)' }]
        : decodeSecretKey(e.RABT_SECRET_KEY).equals(decodeSecretKey(DEVELOPMENT_SECRET_KEY))
          ? [{ variable: 'RABT_SECRET_KEY', problem: 'is the built-in development key, which is public; set 32 random bytes as base64 (openssl rand -base64 32)' }]
          : [],
    map: (e): SecretKeyConfig => ({
      box: SecretBox.fromBase64(e.RABT_SECRET_KEY),
      developmentKey: decodeSecretKey(e.RABT_SECRET_KEY).equals(decodeSecretKey(DEVELOPMENT_SECRET_KEY)),
    }),
  });
