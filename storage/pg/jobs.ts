import type { JobSummary } from '../../contract/api.js';
import type { Provider } from '../../contract/resource.js';
import type { JobSpec } from '../../contract/job.js';
import { jobSummaryOf, type JobRow } from '../rows.js';
import type { JobIndexUpdate, JobListQuery } from '../store.js';
import type { Sql } from './connection.js';
import { Binds } from './rows.js';

/** Writes the job and its accounts in one statement, so both land or neither does. */
export async function indexJob(sql: Sql, spec: JobSpec, createdAt: string): Promise<void> {
  await sql.query(
    `WITH job AS (
       INSERT INTO jobs (job_id, provider, status, accounts, regions, resource_types, mode, sharding_type, shard_size, created_at, updated_at)
       VALUES ($1, $2, 'pending', $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $9) RETURNING job_id, provider)
     INSERT INTO job_accounts (job_id, provider, account)
     SELECT job.job_id, job.provider, account FROM job, jsonb_array_elements_text($3::jsonb) AS account`,
    [
      spec.job_id,
      spec.provider,
      JSON.stringify(spec.accounts),
      JSON.stringify(spec.regions),
      JSON.stringify(spec.resource_types),
      spec.mode,
      spec.sharding.type,
      spec.sharding.shard_size,
      createdAt,
    ],
  );
}

export async function updateJobIndex(sql: Sql, u: JobIndexUpdate): Promise<void> {
  await sql.query(
    `UPDATE jobs SET status = $1, shards_total = $2, shards_succeeded = $3, shards_failed = $4, shards_cancelled = $5,
       resources_discovered = $6, updated_at = $7, finished_at = $8, error = $9 WHERE job_id = $10`,
    [u.status, u.shards_total, u.shards_succeeded, u.shards_failed, u.shards_cancelled, u.resources_discovered, u.updated_at, u.finished_at, u.error, u.job_id],
  );
}

export async function listJobs(sql: Sql, q: JobListQuery): Promise<JobSummary[]> {
  const b = new Binds();
  const where = b.where([
    [q.status, () => `status = ${b.add(q.status)}`],
    [q.provider, () => `provider = ${b.add(q.provider)}`],
    [q.after, () => `(created_at, job_id) < (${b.add(q.after![0])}::timestamptz, ${b.add(q.after![1])})`],
  ]);
  const { rows } = await sql.query<JobRow>(`SELECT * FROM jobs ${where} ORDER BY created_at DESC, job_id DESC LIMIT ${b.add(q.limit)}`, b.values);
  return rows.map(jobSummaryOf);
}

export async function jobExists(sql: Sql, jobId: string): Promise<boolean> {
  return ((await sql.query(`SELECT 1 FROM jobs WHERE job_id = $1`, [jobId])).rowCount ?? 0) > 0;
}

export async function openJobsForAccount(sql: Sql, provider: Provider, account: string): Promise<string[]> {
  const { rows } = await sql.query<{ job_id: string }>(
    `SELECT j.job_id FROM job_accounts a JOIN jobs j ON j.job_id = a.job_id
     WHERE a.provider = $1 AND a.account = $2 AND j.status IN ('pending', 'running') ORDER BY j.created_at`,
    [provider, account],
  );
  return rows.map((r) => r.job_id);
}

export async function recordAgent(sql: Sql, provider: Provider, account: string, agentId: string, seenAt: string): Promise<void> {
  await sql.query(
    `INSERT INTO agents (provider, account, agent_id, last_seen_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (provider, account, agent_id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
    [provider, account, agentId, seenAt],
  );
}

export async function accountsSeenSince(sql: Sql, provider: Provider, since: string): Promise<string[]> {
  const { rows } = await sql.query<{ account: string }>(
    `SELECT DISTINCT account FROM agents WHERE provider = $1 AND last_seen_at >= $2 ORDER BY account`,
    [provider, since],
  );
  return rows.map((r) => r.account);
}
