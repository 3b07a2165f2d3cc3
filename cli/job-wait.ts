import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { JobDetail, type JobStatus, type JobSummary } from '../contract/api.js';
import type { ApiClient } from './api-client.js';

export const FINISHED_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/** Shards that will not run again, whatever their outcome. */
export function shardsDone(counts: JobSummary['counts']): number {
  return counts.shards_succeeded + counts.shards_failed + counts.shards_cancelled;
}

/**
 * Polls the job until it finishes, drawing shards done on stderr (on a terminal; elsewhere a
 * line every few seconds so CI logs show progress). The total can grow: a shard that reaches
 * shard_size hands its remaining work to a new shard.
 */
export async function waitForJob(client: ApiClient, jobId: string, intervalMs: number): Promise<JobDetail> {
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${jobId} [{bar}] {value}/{total} shards | {resources} resources | {status}`,
    barsize: 30,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  let job = await client.getJson(`/api/v1/jobs/${jobId}`, JobDetail);
  bar.start(job.counts.shards_total, shardsDone(job.counts), progressPayload(job));
  try {
    while (!FINISHED_STATUSES.has(job.status)) {
      await sleep(intervalMs);
      job = await client.getJson(`/api/v1/jobs/${jobId}`, JobDetail);
      bar.setTotal(job.counts.shards_total);
      bar.update(shardsDone(job.counts), progressPayload(job));
    }
  } finally {
    bar.stop();
  }
  return job;
}

function progressPayload(job: JobSummary): { resources: number; status: string } {
  return { resources: job.counts.resources_discovered, status: job.status };
}
