import type { Command } from 'commander';
import { JobDetail } from '../../contract/api.js';
import { exitsWith, gatewayClient } from '../command-kit.js';
import { printLine } from '../output.js';

export function registerCancel(program: Command): void {
  program
    .command('cancel')
    .description('cancel a job; agents working on its shards stop at their next call')
    .argument('<job-id>', 'the job to cancel')
    .action(
      exitsWith(async (jobId: string, _opts: object, command: Command) => {
        const job = await gatewayClient(command).postJson(
          `/api/v1/jobs/${encodeURIComponent(jobId)}/cancel`,
          JobDetail,
        );
        printLine(
          `${job.job_id} ${job.status}: ${job.counts.shards_succeeded} of ${job.counts.shards_total} shards had finished`,
        );
        return 0;
      }),
    );
}
