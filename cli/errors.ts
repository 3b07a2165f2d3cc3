/** Process exit codes: 0 success / in sync, 1 drift, failed job or unreachable gateway, 2 usage error. */
export type ExitCode = 0 | 1 | 2;

/** An error the CLI reports as one line on stderr (never a stack trace) and exits with. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** The user asked for something that cannot work as given: exit 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}
