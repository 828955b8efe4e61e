import { z } from 'zod';
import { auditFragment } from '@rabt/audit';
import { keyExpiryFragment } from '@rabt/auth';
import { caFragment } from '@rabt/pki';
import { configTypes, databaseFragment, fragment, httpFragment, kafkaAdminFragment, kafkaFragment, loadConfig, loggingFragment, parseDuration } from '@rabt/config';

export const OPS_SERVICE = 'ops';

/** The ops service's own settings: sessions, the console's files, bulk replays. */
export abstract class OpsConfig {
  /** Where the built console (apps/console) is; served at `/` when it exists. */
  abstract readonly consoleDir: string;
  /** A session unused for this long ends (ms). */
  abstract readonly sessionIdleMs: number;
  /** A session ends this long after sign-in, used or not (ms). */
  abstract readonly sessionAbsoluteMs: number;
  /** Sets `Secure` on the session cookie (behind TLS): on unless development mode or OPS_COOKIE_SECURE=false says otherwise; HttpOnly and SameSite=Strict are always set. */
  abstract readonly cookieSecure: boolean;
  /** How long the first lock after three wrong passwords lasts (ms); each further lock lasts twice as long. */
  abstract readonly lockBaseMs: number;
  /** The longest a lock lasts (ms). */
  abstract readonly lockMaxMs: number;
  /** The window of the sign-in attempt limits (ms). */
  abstract readonly signInWindowMs: number;
  /** Sign-in attempts per username per window, per ops instance. */
  abstract readonly signInPerUsername: number;
  /** Sign-in attempts per client address per window, per ops instance. */
  abstract readonly signInPerAddress: number;
  /** Failed sign-ins are audited as one record per account per this window (ms). */
  abstract readonly signInAuditWindowMs: number;
  /** How often an idle ops instance looks for a running bulk replay to work on (ms). */
  abstract readonly replayPollMs: number;
}

const duration = z.string().superRefine((value, ctx) => {
  try {
    parseDuration(value);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const opsFragment = () =>
  fragment({
    token: OpsConfig,
    env: {
      OPS_CONSOLE_DIR: z.string().min(1).default('dist/apps/console'),
      OPS_SESSION_IDLE: duration.default('30m'),
      OPS_SESSION_ABSOLUTE: duration.default('12h'),
      // Unset: Secure, except in development mode (plain http on a developer's machine).
      OPS_COOKIE_SECURE: configTypes.bool.optional(),
      OPS_REPLAY_POLL_MS: configTypes.positiveInt.default(1000),
      OPS_LOCK_DURATION: duration.default('15m'),
      OPS_LOCK_MAX: duration.default('24h'),
      OPS_SIGN_IN_WINDOW: duration.default('1m'),
      OPS_SIGN_IN_PER_USERNAME: configTypes.positiveInt.default(10),
      OPS_SIGN_IN_PER_ADDRESS: configTypes.positiveInt.default(60),
      OPS_SIGN_IN_AUDIT_WINDOW: duration.default('5m'),
    },
    unsafe: (e, { devMode }) =>
      (e.OPS_COOKIE_SECURE ?? !devMode)
        ? []
        : [{ variable: 'OPS_COOKIE_SECURE', problem: 'is false: the session cookie would be sent without Secure, over plain http too; serve ops behind TLS and leave it unset or true' }],
    map: (e, { devMode }): OpsConfig => ({
      consoleDir: e.OPS_CONSOLE_DIR,
      sessionIdleMs: parseDuration(e.OPS_SESSION_IDLE),
      sessionAbsoluteMs: parseDuration(e.OPS_SESSION_ABSOLUTE),
      cookieSecure: e.OPS_COOKIE_SECURE ?? !devMode,
      replayPollMs: e.OPS_REPLAY_POLL_MS,
      lockBaseMs: parseDuration(e.OPS_LOCK_DURATION),
      lockMaxMs: parseDuration(e.OPS_LOCK_MAX),
      signInWindowMs: parseDuration(e.OPS_SIGN_IN_WINDOW),
      signInPerUsername: e.OPS_SIGN_IN_PER_USERNAME,
      signInPerAddress: e.OPS_SIGN_IN_PER_ADDRESS,
      signInAuditWindowMs: parseDuration(e.OPS_SIGN_IN_AUDIT_WINDOW),
    }),
  });

/** Everything the ops service reads from its environment, validated once at start. */
export const opsConfigFragments = () => ({
  http: httpFragment('OPS_PORT', 8082),
  logging: loggingFragment(OPS_SERVICE),
  database: databaseFragment(),
  kafka: kafkaFragment(`rabt-${OPS_SERVICE}`),
  // The provisioning credential for agency certificates' Kafka ACLs (issue and revoke only).
  kafkaAdmin: kafkaAdminFragment(),
  // The ops service seals the audit log and anchors its head unless told otherwise.
  audit: auditFragment({ sealer: true }),
  ops: opsFragment(),
  keyExpiry: keyExpiryFragment(),
  // Rabt's CA, for issuing agency certificates (read when the first one is issued).
  ca: caFragment(),
});

export const loadOpsConfig = (env?: Record<string, string | undefined>) => loadConfig(OPS_SERVICE, opsConfigFragments(), env);
export type OpsAppConfig = ReturnType<typeof loadOpsConfig>;
