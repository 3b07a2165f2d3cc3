import { z } from 'zod';
import {
  AnalysisHeadline,
  type JobCounts,
  type JobDetail,
  JobStatus,
  type JobSummary,
  type ShardView,
} from '../contract/api.js';
import { JobSpec } from '../contract/job.js';
import type { DriftSummary } from '../engine/index.js';
import type { JobIndexUpdate } from '../storage/store.js';
import { decodeRows, jsonColumn } from './sql-rows.js';

/** Statuses a job never leaves. */
export const FINISHED: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
/** Statuses of a job whose discovery is still under way. */
export const DISCOVERING: readonly JobStatus[] = ['pending', 'running'];

/** The coordinator's one job: its row in the `job` table, decoded here and nowhere else. */
const JobRow = z.object({
  spec: jsonColumn(JobSpec),
  status: JobStatus,
  created_at: z.number(),
  updated_at: z.number(),
  finished_at: z.number().nullable(),
  error: z.string().nullable(),
  /** The seq the next shard gets, so shard ids stay unique as continuations are added. */
  next_shard: z.number().int(),
  analysis: jsonColumn(AnalysisHeadline).nullable(),
});
export type Job = z.output<typeof JobRow>;

/** The `job` table: a single row (id 1) holding the spec, status and analysis headline. */
export class JobRecord {
  constructor(private readonly sql: SqlStorage) {}

  read(): Job | undefined {
    return decodeRows(this.sql.exec(`SELECT * FROM job WHERE id = 1`), JobRow)[0];
  }

  /** The job, where the caller has already seen it exist (rows are never deleted). */
  current(): Job {
    const job = this.read();
    if (!job) throw new Error('job not created');
    return job;
  }

  create(spec: JobSpec, now: number): void {
    this.sql.exec(
      `INSERT INTO job (id, spec, status, created_at, updated_at, next_shard) VALUES (1, ?, 'pending', ?, ?, 0)`,
      JSON.stringify(spec),
      now,
      now,
    );
  }

  /** Hands out `count` consecutive shard seqs, returning the first, and moves the counter on. */
  takeShardSeqs(count = 1): number {
    const next = this.sql.exec<{ next_shard: number }>(`SELECT next_shard FROM job WHERE id = 1`).one().next_shard;
    this.sql.exec(`UPDATE job SET next_shard = ? WHERE id = 1`, next + count);
    return next;
  }

  setStatus(status: JobStatus, now: number, error: string | null): void {
    const finished = FINISHED.includes(status) ? now : null;
    this.sql.exec(
      `UPDATE job SET status = ?, updated_at = ?, finished_at = ?, error = ? WHERE id = 1`,
      status,
      now,
      finished,
      error,
    );
  }

  touch(now: number): void {
    this.sql.exec(`UPDATE job SET updated_at = ? WHERE id = 1`, now);
  }

  /** Keeps the headline of the merged analysis; the full summary lives in the store. */
  setAnalysis(summary: DriftSummary): void {
    this.sql.exec(`UPDATE job SET analysis = ? WHERE id = 1`, JSON.stringify(headline(summary)));
  }
}

/** The counts a job detail shows of its analysis; the full summary is in /drift. */
function headline(s: DriftSummary): AnalysisHeadline {
  const {
    state_resources,
    discovered_resources,
    in_sync,
    changed,
    missing,
    unmanaged,
    coverage,
    noise_filtered,
    by_severity,
  } = s;
  return {
    state_resources,
    discovered_resources,
    in_sync,
    changed,
    missing,
    unmanaged,
    coverage,
    noise_filtered,
    by_severity,
  };
}

const isoOrNull = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function jobSummary(job: Job, counts: JobCounts): JobSummary {
  const { spec } = job;
  return {
    job_id: spec.job_id,
    status: job.status,
    provider: spec.provider,
    accounts: spec.accounts,
    regions: spec.regions,
    resource_types: spec.resource_types,
    mode: spec.mode,
    sharding: spec.sharding,
    counts,
    created_at: new Date(job.created_at).toISOString(),
    updated_at: new Date(job.updated_at).toISOString(),
    finished_at: isoOrNull(job.finished_at),
    error: job.error,
    schedule_id: spec.schedule_id ?? null,
  };
}

/** The job with one page of its shards (`next`: the shard the next page starts after). */
export function jobDetail(job: Job, counts: JobCounts, page: { shards: ShardView[]; next: string | null }): JobDetail {
  return { ...jobSummary(job, counts), shards: page.shards, shards_next_cursor: page.next, analysis: job.analysis };
}

/** The row of the D1 job index that lists jobs without waking their objects. */
export function jobIndexUpdate(job: JobSummary): JobIndexUpdate {
  const { counts: c } = job;
  return {
    job_id: job.job_id,
    status: job.status,
    shards_total: c.shards_total,
    shards_succeeded: c.shards_succeeded,
    shards_failed: c.shards_failed,
    shards_cancelled: c.shards_cancelled,
    resources_discovered: c.resources_discovered,
    updated_at: job.updated_at,
    finished_at: job.finished_at,
    error: job.error,
  };
}
