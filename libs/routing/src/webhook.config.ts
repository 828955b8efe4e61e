import { z } from 'zod';
import { fragment } from '@rabt/config';
import { parseAllowList, type WebhookAllowList } from './webhook-url';

/** Where webhooks may go and how long a rotated-out signing secret stays valid. */
export abstract class WebhookPolicyConfig {
  /** Hosts exempt from the SSRF address checks, and allowed plain http (local tests, demos). */
  abstract readonly allowHosts: WebhookAllowList;
  /** After a rotation, the previous secret stays valid this long. */
  abstract readonly previousSecretTtlMs: number;
}

export const webhookPolicyFragment = () =>
  fragment({
    token: WebhookPolicyConfig,
    env: {
      RABT_WEBHOOK_ALLOW_HOSTS: z
        .string()
        .default('')
        .superRefine((value, ctx) => {
          try {
            parseAllowList(value);
          } catch (e) {
            ctx.addIssue({ code: 'custom', message: (e as Error).message });
          }
        }),
      RABT_WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce.number({ message: 'must be a number' }).min(0, { message: 'must be 0 or more' }).max(720, { message: 'must be at most 720 (30 days)' }).default(24),
    },
    map: (e): WebhookPolicyConfig => ({ allowHosts: parseAllowList(e.RABT_WEBHOOK_ALLOW_HOSTS), previousSecretTtlMs: Math.round(e.RABT_WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000) }),
  });
