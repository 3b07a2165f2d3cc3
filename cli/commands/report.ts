import { type Command, Option } from 'commander';
import { ReportFormat } from '../../contract/drift.js';
import { exitsWith, gatewayClient } from '../command-kit.js';
import { writeBody } from '../output.js';

interface ReportOptions {
  job?: string;
  format: ReportFormat;
  output?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description("a job's drift report (default: the newest analysed job) to stdout or a file")
    .option('--job <id>', 'the job to report on')
    .addOption(new Option('--format <format>', 'report format').choices(ReportFormat.options).makeOptionMandatory())
    .option('--output <file>', 'write the report here instead of stdout')
    .action(
      exitsWith(async (opts: ReportOptions, command: Command) => {
        const body = await gatewayClient(command).download('/api/v1/drift/report', {
          job_id: opts.job,
          format: opts.format,
        });
        await writeBody(body, opts.output);
        if (opts.output) process.stderr.write(`wrote ${opts.format} report to ${opts.output}\n`);
        return 0;
      }),
    );
}
