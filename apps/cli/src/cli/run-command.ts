import { CommanderError } from 'commander';
import { AgencyAdminException, AgencyAdminExceptionCode, OperatorAccountException, OperatorAccountExceptionCode } from '@rabt/auth';
import { ConfigValidationError } from '@rabt/config';
import { SubscriptionException, SubscriptionExceptionCode } from '@rabt/routing';
import { CliException, ExitCode, type CliOutput } from './cli.exception';

/** Agency registry refusals: a malformed argument is bad usage (2); a refused change fails (1). */
const AGENCY_ADMIN_EXIT_CODES: Readonly<Record<AgencyAdminExceptionCode, ExitCode>> = {
  [AgencyAdminExceptionCode.INVALID_AGENCY]: ExitCode.USAGE,
  [AgencyAdminExceptionCode.INVALID_KEY]: ExitCode.USAGE,
  [AgencyAdminExceptionCode.INVALID_GRANT]: ExitCode.USAGE,
  [AgencyAdminExceptionCode.UNKNOWN_EVENT_TYPE]: ExitCode.USAGE,
  [AgencyAdminExceptionCode.AGENCY_EXISTS]: ExitCode.FAILED,
  [AgencyAdminExceptionCode.AGENCY_NOT_FOUND]: ExitCode.FAILED,
  [AgencyAdminExceptionCode.KEY_NOT_FOUND]: ExitCode.FAILED,
  [AgencyAdminExceptionCode.GRANT_NOT_FOUND]: ExitCode.FAILED,
  [AgencyAdminExceptionCode.INVALID_CERTIFICATE]: ExitCode.USAGE,
  [AgencyAdminExceptionCode.CERTIFICATE_NOT_FOUND]: ExitCode.FAILED,
  [AgencyAdminExceptionCode.CA_UNAVAILABLE]: ExitCode.USAGE,
  [AgencyAdminExceptionCode.KAFKA_PROVISIONING_UNAVAILABLE]: ExitCode.KAFKA_UNREACHABLE,
};

/** Subscription refusals: a malformed argument is bad usage (2); a refusal by policy or state fails (1). */
const SUBSCRIPTION_EXIT_CODES: Readonly<Record<SubscriptionExceptionCode, ExitCode>> = {
  [SubscriptionExceptionCode.INVALID_SUBSCRIPTION]: ExitCode.USAGE,
  [SubscriptionExceptionCode.INVALID_FILTER]: ExitCode.USAGE,
  [SubscriptionExceptionCode.INVALID_PROJECTION]: ExitCode.USAGE,
  [SubscriptionExceptionCode.UNKNOWN_EVENT_TYPE]: ExitCode.USAGE,
  [SubscriptionExceptionCode.WEBHOOK_URL_REFUSED]: ExitCode.FAILED,
  [SubscriptionExceptionCode.NOT_SUBSCRIBE_GRANTED]: ExitCode.FAILED,
  [SubscriptionExceptionCode.SUBSCRIPTION_NOT_FOUND]: ExitCode.FAILED,
  [SubscriptionExceptionCode.SUBSCRIPTION_EXISTS]: ExitCode.FAILED,
  [SubscriptionExceptionCode.NO_WEBHOOK]: ExitCode.FAILED,
  [SubscriptionExceptionCode.SUBSCRIPTION_QUOTA_EXCEEDED]: ExitCode.FAILED,
};

/** Operator account refusals: a malformed account is bad usage (2); exists / not found fails (1). */
const OPERATOR_ACCOUNT_EXIT_CODES: Readonly<Record<OperatorAccountExceptionCode, ExitCode>> = {
  [OperatorAccountExceptionCode.INVALID_OPERATOR]: ExitCode.USAGE,
  [OperatorAccountExceptionCode.OPERATOR_EXISTS]: ExitCode.FAILED,
  [OperatorAccountExceptionCode.OPERATOR_NOT_FOUND]: ExitCode.FAILED,
};

/**
 * Runs a command's action and sets the exit code. User errors print their message alone;
 * only an unexpected error (a bug) prints a stack trace.
 */
export async function runCommand(action: () => ExitCode | Promise<ExitCode>, output: CliOutput): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e) {
    process.exitCode = reportFailure(e, output);
  }
}

export function reportFailure(e: unknown, output: CliOutput): ExitCode {
  if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE; // commander printed it
  if (e instanceof CliException) {
    output.err(`rabt: ${e.message}`);
    return e.exitCode;
  }
  if (e instanceof AgencyAdminException) {
    output.err(`rabt: ${e.message}`);
    return AGENCY_ADMIN_EXIT_CODES[e.code];
  }
  if (e instanceof OperatorAccountException) {
    output.err(`rabt: ${e.message}`);
    return OPERATOR_ACCOUNT_EXIT_CODES[e.code];
  }
  if (e instanceof SubscriptionException) {
    output.err(`rabt: ${e.message}`);
    return SUBSCRIPTION_EXIT_CODES[e.code];
  }
  if (e instanceof ConfigValidationError) {
    output.err(`rabt: ${e.message}`);
    return ExitCode.USAGE;
  }
  output.err(`rabt: unexpected error (a bug in rabt, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return ExitCode.INTERNAL;
}
