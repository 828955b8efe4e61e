import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { OpsAudit, type OpsAuditInput } from '../audit/ops-audit';
import { OpsConfig } from '../config/ops.config';

interface Tally {
  failures: number;
  readonly addresses: Set<string>;
  readonly names: Set<string>;
  readonly from: Date;
  to: Date;
}

/** The subject under which failures against usernames that have no account are counted together. */
export const UNKNOWN_ACCOUNTS = 'operator:(unknown)';
const SAMPLES = 10;

/**
 * Failed sign-ins go to the audit trail aggregated, so that a flood of wrong passwords cannot
 * flood the chain: per window (OPS_SIGN_IN_AUDIT_WINDOW) one `operator.sign-in-failed` record per
 * account with the count and up to ten client addresses, and one for every username that has no
 * account (with up to ten of the names tried). A lock is recorded at once, in its transaction.
 * The tallies live in memory until the window ends (and are written when the service stops).
 */
@Injectable()
export class SignInFailureAudit implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('sign-in');
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly audit: OpsAudit,
    private readonly config: OpsConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.signInAuditWindowMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** One failed sign-in: `account` is the username of an existing account, else undefined. */
  note(account: string | undefined, tried: string, address: string): void {
    const subject = account ? `operator:${account}` : UNKNOWN_ACCOUNTS;
    const now = new Date();
    let tally = this.tallies.get(subject);
    if (!tally) {
      tally = { failures: 0, addresses: new Set(), names: new Set(), from: now, to: now };
      this.tallies.set(subject, tally);
    }
    tally.failures++;
    tally.to = now;
    if (tally.addresses.size < SAMPLES) tally.addresses.add(address);
    if (!account && tally.names.size < SAMPLES) tally.names.add(tried);
  }

  async flush(): Promise<void> {
    if (this.tallies.size === 0) return;
    const tallies = this.tallies;
    this.tallies = new Map();
    const records: OpsAuditInput[] = [...tallies].map(([subject, t]) => ({
      actor: 'anonymous',
      action: 'operator.sign-in-failed',
      subject,
      details: {
        failures: t.failures,
        from: t.from.toISOString(),
        to: t.to.toISOString(),
        addresses: [...t.addresses],
        ...(t.names.size ? { usernames: [...t.names] } : {}),
      },
    }));
    await this.audit.recordMany(records).catch((e: unknown) => this.log.error({ err: e }, `could not audit ${records.length} tallies of failed sign-ins`));
  }
}
