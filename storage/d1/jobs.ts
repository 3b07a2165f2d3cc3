import type { JobSummary } from '../../contract/api.js';
import type { Provider } from '../../contract/resource.js';
import type { JobSpec } from '../../contract/job.js';
import { jobSummaryOf, type JobRow } from '../rows.js';
import type { JobIndexUpdate, JobListQuery } from '../store.js';

/** Writes the job and its accounts in one atomic batch. */
export async function indexJob(db: D1Database, spec: JobSpec, createdAt: string): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO jobs (job_id, provider, status, accounts, regions, resource_types, mode, sharding_type, shard_size, created_at, updated_at)
         VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        spec.job_id,
        spec.provider,
        JSON.stringify(spec.accounts),
        JSON.stringify(spec.regions),
        JSON.stringify(spec.resource_types),
        spec.mode,
        spec.sharding.type,
        spec.sharding.shard_size,
        createdAt,
        createdAt,
      ),
    db
      .prepare(`INSERT INTO job_accounts (job_id, provider, account) SELECT ?, ?, value FROM json_each(?)`)
      .bind(spec.job_id, spec.provider, JSON.stringify(spec.accounts)),
  ]);
}

export async function updateJobIndex(db: D1Database, u: JobIndexUpdate): Promise<void> {
  await db
    .prepare(
      `UPDATE jobs SET status = ?, shards_total = ?, shards_succeeded = ?, shards_failed = ?, shards_cancelled = ?, resources_discovered = ?,
         updated_at = ?, finished_at = ?, error = ? WHERE job_id = ?`,
    )
    .bind(u.status, u.shards_total, u.shards_succeeded, u.shards_failed, u.shards_cancelled, u.resources_discovered, u.updated_at, u.finished_at, u.error, u.job_id)
    .run();
}

/** D1 returns JSON columns as text. */
type D1JobRow = Omit<JobRow, 'accounts' | 'regions' | 'resource_types'> & { accounts: string; regions: string; resource_types: string };

function summaryOf(r: D1JobRow): JobSummary {
  return jobSummaryOf({
    ...r,
    accounts: JSON.parse(r.accounts) as string[],
    regions: JSON.parse(r.regions) as string[],
    resource_types: JSON.parse(r.resource_types) as string[],
  });
}

export async function listJobs(db: D1Database, q: JobListQuery): Promise<JobSummary[]> {
  const filters: [unknown, string][] = [
    [q.status, 'status = ?'],
    [q.provider, 'provider = ?'],
  ];
  const used = filters.filter(([value]) => value !== undefined);
  const clauses = used.map(([, clause]) => clause);
  const binds = used.map(([value]) => value);
  if (q.after) {
    clauses.push('(created_at, job_id) < (?, ?)');
    binds.push(...q.after);
  }
  const { results } = await db
    .prepare(`SELECT * FROM jobs ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY created_at DESC, job_id DESC LIMIT ?`)
    .bind(...binds, q.limit)
    .all<D1JobRow>();
  return results.map(summaryOf);
}

export async function jobExists(db: D1Database, jobId: string): Promise<boolean> {
  return (await db.prepare(`SELECT 1 AS found FROM jobs WHERE job_id = ?`).bind(jobId).first()) !== null;
}

export async function openJobsForAccount(db: D1Database, provider: Provider, account: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT j.job_id FROM job_accounts a JOIN jobs j ON j.job_id = a.job_id
       WHERE a.provider = ? AND a.account = ? AND j.status IN ('pending', 'running') ORDER BY j.created_at`,
    )
    .bind(provider, account)
    .all<{ job_id: string }>();
  return results.map((r) => r.job_id);
}

export async function recordAgent(db: D1Database, provider: Provider, account: string, agentId: string, seenAt: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO agents (provider, account, agent_id, last_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (provider, account, agent_id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
    )
    .bind(provider, account, agentId, seenAt)
    .run();
}

export async function accountsSeenSince(db: D1Database, provider: Provider, since: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT DISTINCT account FROM agents WHERE provider = ? AND last_seen_at >= ? ORDER BY account`)
    .bind(provider, since)
    .all<{ account: string }>();
  return results.map((r) => r.account);
}
