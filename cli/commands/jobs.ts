import { type Command, Option } from 'commander';
import { JobList, JobStatus } from '../../contract/api.js';
import { Provider } from '../../contract/resource.js';
import { exitsWith, gatewayClient, integerIn } from '../command-kit.js';
import { renderJobList } from '../job-view.js';
import { printJson, printLine } from '../output.js';

interface JobsOptions {
  status?: string;
  provider?: string;
  limit: number;
  json?: boolean;
}

export function registerJobs(program: Command): void {
  program
    .command('jobs')
    .description('list discovery jobs, newest first')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(JobStatus.options))
    .addOption(new Option('--provider <cloud>', 'only jobs of this cloud').choices(Provider.options))
    .option('--limit <n>', 'at most this many jobs', integerIn(1, 200), 50)
    .option('--json', 'print the API answer as JSON')
    .action(
      exitsWith(async (opts: JobsOptions, command: Command) => {
        const list = await gatewayClient(command).getJson('/api/v1/jobs', JobList, {
          status: opts.status,
          provider: opts.provider,
          limit: opts.limit,
        });
        if (opts.json) printJson(list);
        else if (list.jobs.length === 0) printLine('no jobs');
        else printLine(renderJobList(list.jobs));
        if (!opts.json && list.next_cursor) process.stderr.write(`more jobs exist; raise --limit to see them\n`);
        return 0;
      }),
    );
}
