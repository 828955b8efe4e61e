import { z } from 'zod';
import { fragment } from '@rabt/config';

/** The default folder of the local PKI (git-ignored), as the stack script creates it. */
export const DEFAULT_PKI_DIR = 'deploy/local/.run/pki';

/** Where Rabt's CA certificate and PKCS#8 key are (PEM files). */
export abstract class CaConfig {
  abstract readonly certFile: string;
  abstract readonly keyFile: string;
}

/** RABT_CA_CERT_FILE / RABT_CA_KEY_FILE, each defaulting to `$RABT_PKI_DIR/ca.crt|ca.key`. */
export const caFragment = () =>
  fragment({
    token: CaConfig,
    env: {
      RABT_PKI_DIR: z.string().min(1).default(DEFAULT_PKI_DIR),
      RABT_CA_CERT_FILE: z.string().min(1).optional(),
      RABT_CA_KEY_FILE: z.string().min(1).optional(),
    },
    map: (e): CaConfig => ({ certFile: e.RABT_CA_CERT_FILE ?? `${e.RABT_PKI_DIR}/ca.crt`, keyFile: e.RABT_CA_KEY_FILE ?? `${e.RABT_PKI_DIR}/ca.key` }),
  });
