import { type Command, Option } from 'commander';
import { DiscoveryAccepted, type DiscoveryRequest, type JobSummary, ShardingType } from '../../contract/api.js';
import { AnalysisMode, DriftPage } from '../../contract/drift.js';
import { Provider } from '../../contract/resource.js';
import { type ApiClient, GatewayError } from '../api-client.js';
import { exitsWith, gatewayClient, integerIn, parseList } from '../command-kit.js';
import type { ExitCode } from '../errors.js';
import { renderJobSummary } from '../job-view.js';
import { waitForJob } from '../job-wait.js';
import { printLine } from '../output.js';

interface DiscoverOptions {
  provider: DiscoveryRequest['provider'];
  regions: string[];
  accounts?: string[];
  types?: string[];
  sharding: DiscoveryRequest['sharding']['type'];
  shardSize: number;
  mode: DiscoveryRequest['mode'];
  wait?: boolean;
  pollInterval: number;
}

function requestOf(opts: DiscoverOptions): DiscoveryRequest {
  return {
    provider: opts.provider,
    regions: opts.regions,
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(opts.types ? { resource_types: opts.types } : {}),
    mode: opts.mode,
    sharding: { type: opts.sharding, shard_size: opts.shardSize },
  };
}

/** One line on what the analysis of a completed job found; silent when there is none (yet). */
async function driftLine(client: ApiClient, jobId: string): Promise<string | undefined> {
  try {
    const page = await client.getJson('/api/v1/drift', DriftPage, { job_id: jobId, limit: 1 });
    const s = page.summary;
    return `drift     ${s.changed} changed, ${s.missing} missing, ${s.unmanaged} unmanaged (driftmgr drift --job ${jobId})`;
  } catch (err) {
    if (err instanceof GatewayError && err.status === 404) return undefined;
    throw err;
  }
}

async function finish(client: ApiClient, job: JobSummary): Promise<ExitCode> {
  printLine(renderJobSummary(job));
  if (job.status !== 'completed') return 1;
  const drift = await driftLine(client, job.job_id);
  if (drift) printLine(drift);
  return 0;
}

export function registerDiscover(program: Command): void {
  program
    .command('discover')
    .description('start a discovery job; prints its id (with --wait: progress, then the job summary)')
    .addOption(new Option('--provider <cloud>', 'cloud to discover').choices(Provider.options).makeOptionMandatory())
    .requiredOption('--regions <list>', 'regions, comma-separated', parseList)
    .option(
      '--accounts <list>',
      'accounts, comma-separated (default: every account with a recently seen agent)',
      parseList,
    )
    .option('--types <list>', 'cloud-native resource types, comma-separated (default: all)', parseList)
    .addOption(
      new Option('--sharding <strategy>', 'how the job is split into shards')
        .choices(ShardingType.options)
        .default('region'),
    )
    .option('--shard-size <n>', 'resources per shard before the rest is handed on', integerIn(1, 100_000), 1000)
    .addOption(new Option('--mode <mode>', 'analysis mode').choices(AnalysisMode.options).default('smart'))
    .option('--wait', 'wait for the job to finish, showing shards done; exit 0 completed, 1 failed or cancelled')
    .addOption(
      new Option('--poll-interval <ms>', 'how often --wait asks for progress when the job events are unavailable')
        .argParser(integerIn(100, 60_000))
        .default(1000)
        .hideHelp(),
    )
    .action(
      exitsWith(async (opts: DiscoverOptions, command: Command) => {
        const client = gatewayClient(command);
        const accepted = await client.postJson('/api/v1/discovery', DiscoveryAccepted, requestOf(opts));
        printLine(accepted.job_id);
        process.stderr.write(`discovery job ${accepted.job_id}: ${accepted.shards} shards, ${accepted.status}\n`);
        if (!opts.wait) return 0;
        return finish(client, await waitForJob(client, accepted.job_id, opts.pollInterval));
      }),
    );
}
