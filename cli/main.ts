import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerCancel } from './commands/cancel.js';
import { registerDiscover } from './commands/discover.js';
import { registerDrift } from './commands/drift.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerJob } from './commands/job.js';
import { registerJobs } from './commands/jobs.js';
import { registerNotifications } from './commands/notifications.js';
import { registerReport } from './commands/report.js';
import { registerTokens } from './commands/tokens.js';
import { DEFAULT_GATEWAY_URL } from './config.js';
import { CliError, type ExitCode } from './errors.js';

const COMMANDS = [
  registerDiscover,
  registerJobs,
  registerJob,
  registerCancel,
  registerImport,
  registerDrift,
  registerReport,
  registerAnalyze,
  registerExport,
  registerNotifications,
  registerTokens,
];

function buildProgram(): Command {
  const program = new Command('driftmgr')
    .description('DriftMgr: discover what runs in your clouds and report drift from Terraform state')
    .option('--url <url>', `gateway URL [env DRIFTMGR_URL, default ${DEFAULT_GATEWAY_URL}]`)
    .option('--token <token>', 'API token [env DRIFTMGR_TOKEN]')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  for (const register of COMMANDS) register(program);
  return program;
}

/** Commander has already printed its own message; help and --version are successes. */
function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof CliError) return err.exitCode;
  return 1;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = exitCodeOf(err);
  }
}

await main(process.argv.slice(2));
