import type { JobDetail, JobSummary } from '../contract/api.js';
import { shardsDone } from './job-wait.js';
import { renderTable, truncate } from './output.js';

function durationOf(job: JobSummary): string | undefined {
  if (!job.finished_at) return undefined;
  const seconds = (Date.parse(job.finished_at) - Date.parse(job.created_at)) / 1000;
  return Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : undefined;
}

/** The job's fields as `label  value` lines. */
export function renderJobSummary(job: JobSummary): string {
  const c = job.counts;
  const fields: [string, string | undefined][] = [
    ['job', job.job_id],
    ['status', job.status],
    ['provider', job.provider],
    ['accounts', job.accounts.join(', ')],
    ['regions', job.regions.join(', ')],
    ['mode', job.mode],
    ['sharding', `${job.sharding.type}, shard size ${job.sharding.shard_size}`],
    [
      'shards',
      `${shardsDone(c)}/${c.shards_total} done: ${c.shards_succeeded} succeeded, ${c.shards_failed} failed, ` +
        `${c.shards_cancelled} cancelled, ${c.shards_pending} pending, ${c.shards_leased} leased`,
    ],
    ['resources', String(c.resources_discovered)],
    ['created', job.created_at],
    ['finished', job.finished_at ?? undefined],
    ['took', durationOf(job)],
    ['error', job.error ?? undefined],
  ];
  return fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([label, value]) => `${label.padEnd(10)}${value}`)
    .join('\n');
}

export function renderShardTable(shards: JobDetail['shards']): string {
  return renderTable(
    ['SHARD', 'ACCOUNT', 'REGION', 'TYPES', 'STATUS', 'ATTEMPTS', 'RESOURCES', 'AGENT', 'LAST ERROR'],
    shards.map((s) => [
      s.shard_id,
      s.account,
      s.region,
      truncate(s.resource_types.join(', '), 50),
      s.status,
      s.attempts,
      s.resources,
      s.agent_id,
      s.last_error === null ? null : truncate(s.last_error, 60),
    ]),
  );
}

export function renderJobList(jobs: readonly JobSummary[]): string {
  return renderTable(
    ['JOB', 'STATUS', 'PROVIDER', 'ACCOUNTS', 'REGIONS', 'SHARDS', 'RESOURCES', 'CREATED'],
    jobs.map((j) => [
      j.job_id,
      j.status,
      j.provider,
      truncate(j.accounts.join(','), 30),
      truncate(j.regions.join(','), 30),
      `${shardsDone(j.counts)}/${j.counts.shards_total}`,
      j.counts.resources_discovered,
      j.created_at,
    ]),
  );
}
