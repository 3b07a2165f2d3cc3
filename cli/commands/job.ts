import type { Command } from 'commander';
import { JobDetail } from '../../contract/api.js';
import { exitsWith, gatewayClient } from '../command-kit.js';
import { jobWithAllShards } from '../job-shards.js';
import { renderJobSummary, renderShardTable } from '../job-view.js';
import { printJson, printLine } from '../output.js';

export function registerJob(program: Command): void {
  program
    .command('job')
    .description('one job: status, counts and every shard')
    .argument('<job-id>', 'the job id discover printed')
    .option('--json', 'print the API answer as JSON')
    .action(
      exitsWith(async (jobId: string, opts: { json?: boolean }, command: Command) => {
        const client = gatewayClient(command);
        const path = `/api/v1/jobs/${encodeURIComponent(jobId)}`;
        const job = await jobWithAllShards((query) => client.getJson(path, JobDetail, { ...query }));
        if (opts.json) {
          printJson(job);
          return 0;
        }
        printLine(renderJobSummary(job));
        printLine();
        printLine(job.shards.length === 0 ? 'no shards' : renderShardTable(job.shards));
        return 0;
      }),
    );
}
