/** How `rabt` exits: scripts and CI switch on these. */
export enum ExitCode {
  OK = 0,
  /** A check failed: a schema is invalid or incompatible, a fixture misbehaves, a file is stale. */
  FAILED = 1,
  /** The command could not run as asked: bad flags or configuration, missing credentials, a broken catalogue. */
  USAGE = 2,
  /** The schema registry could not be reached (or answered with a server error). */
  REGISTRY_UNREACHABLE = 3,
  /** The same status for the database (DATABASE_URL) of the agency registry commands. */
  // eslint-disable-next-line @typescript-eslint/no-duplicate-enum-values
  DATABASE_UNREACHABLE = 3,
  /** The same status for the ops service (RABT_OPS_URL) of the login, dlq and tx commands. */
  // eslint-disable-next-line @typescript-eslint/no-duplicate-enum-values
  OPS_UNREACHABLE = 3,
  /** The same status for Kafka (KAFKA_BROKERS), where `rabt audit` reads and writes anchors. */
  // eslint-disable-next-line @typescript-eslint/no-duplicate-enum-values
  KAFKA_UNREACHABLE = 3,
  /** `rabt audit verify` found the audit chain broken (edited, deleted, reordered or cut short). */
  AUDIT_BROKEN = 4,
  /** A bug in rabt itself (EX_SOFTWARE): reported with its stack trace. */
  INTERNAL = 70,
}

export enum CliExceptionCode {
  CONFIG_INVALID = 'CONFIG_INVALID',
  CATALOGUE_INVALID = 'CATALOGUE_INVALID',
  CREDENTIALS_MISSING = 'CREDENTIALS_MISSING',
  REGISTRY_UNREACHABLE = 'REGISTRY_UNREACHABLE',
  REGISTRY_REJECTED_CREDENTIALS = 'REGISTRY_REJECTED_CREDENTIALS',
  REGISTRY_UNEXPECTED_ANSWER = 'REGISTRY_UNEXPECTED_ANSWER',
  DATABASE_UNREACHABLE = 'DATABASE_UNREACHABLE',
  DATABASE_NOT_MIGRATED = 'DATABASE_NOT_MIGRATED',
  /** The ops service did not answer (or answered with a server error). */
  OPS_UNREACHABLE = 'OPS_UNREACHABLE',
  /** No session, or it expired: `rabt login`. */
  NOT_SIGNED_IN = 'NOT_SIGNED_IN',
  /** The ops service refused the request as malformed (400). */
  OPS_BAD_REQUEST = 'OPS_BAD_REQUEST',
  /** The ops service refused it (role, not found, not open, locked, …). */
  OPS_REFUSED = 'OPS_REFUSED',
  KAFKA_UNREACHABLE = 'KAFKA_UNREACHABLE',
  /** Kafka refused the credential (`rabt kafka acls` needs operator-admin's certificate). */
  KAFKA_NOT_AUTHORIZED = 'KAFKA_NOT_AUTHORIZED',
}

const EXIT_CODES: Readonly<Record<CliExceptionCode, ExitCode>> = {
  [CliExceptionCode.CONFIG_INVALID]: ExitCode.USAGE,
  [CliExceptionCode.CATALOGUE_INVALID]: ExitCode.USAGE,
  [CliExceptionCode.CREDENTIALS_MISSING]: ExitCode.USAGE,
  [CliExceptionCode.REGISTRY_UNREACHABLE]: ExitCode.REGISTRY_UNREACHABLE,
  [CliExceptionCode.REGISTRY_REJECTED_CREDENTIALS]: ExitCode.USAGE,
  [CliExceptionCode.REGISTRY_UNEXPECTED_ANSWER]: ExitCode.REGISTRY_UNREACHABLE,
  [CliExceptionCode.DATABASE_UNREACHABLE]: ExitCode.DATABASE_UNREACHABLE,
  [CliExceptionCode.DATABASE_NOT_MIGRATED]: ExitCode.USAGE,
  [CliExceptionCode.OPS_UNREACHABLE]: ExitCode.OPS_UNREACHABLE,
  [CliExceptionCode.NOT_SIGNED_IN]: ExitCode.USAGE,
  [CliExceptionCode.OPS_BAD_REQUEST]: ExitCode.USAGE,
  [CliExceptionCode.OPS_REFUSED]: ExitCode.FAILED,
  [CliExceptionCode.KAFKA_UNREACHABLE]: ExitCode.KAFKA_UNREACHABLE,
  [CliExceptionCode.KAFKA_NOT_AUTHORIZED]: ExitCode.USAGE,
};

/** A failure the user can act on: printed as its message alone, never with a stack trace. */
export class CliException extends Error {
  override readonly name = 'CliException';

  constructor(
    readonly code: CliExceptionCode,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): ExitCode {
    return EXIT_CODES[this.code];
  }
}

/** Where commands write: stdout for results, stderr for diagnostics. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const consoleOutput: CliOutput = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};
