import { CommanderError } from 'commander';
import { ConfigValidationError } from '@rabt/config';
import { CliException, ExitCode, type CliOutput } from './cli.exception';

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
  if (e instanceof ConfigValidationError) {
    output.err(`rabt: ${e.message}`);
    return ExitCode.USAGE;
  }
  output.err(`rabt: unexpected error (a bug in rabt, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return ExitCode.INTERNAL;
}
