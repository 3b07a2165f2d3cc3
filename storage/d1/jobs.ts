import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { JobSummary } from '../../contract/api.js';
import type { JobSpec } from '../../contract/job.js';
import type { Provider } from '../../contract/resource.js';
import { agents, jobAccounts, jobs } from '../../schema/d1.js';
import { excluded, ifSet, jobListWhere } from '../queries.js';
import { jobIndexChanges, jobSummaryOf, newJobRow } from '../rows.js';
import type { JobIndexUpdate, JobListQuery } from '../store.js';
import type { D1Db } from './batching.js';

/** Writes the job and its accounts in one atomic batch. */
export async function indexJob(db: D1Db, spec: JobSpec, createdAt: string): Promise<void> {
  await db.batch([
    db.insert(jobs).values(newJobRow(spec, createdAt)),
    // Accounts as one JSON parameter: a job may cover more accounts than D1's 100 bound parameters.
    db.insert(jobAccounts).select((qb) =>
      qb
        .select({
          jobId: sql<string>`${spec.job_id}`.as('job_id'),
          provider: sql<Provider>`${spec.provider}`.as('provider'),
          account: sql<string>`value`.as('account'),
        })
        .from(sql`json_each(${JSON.stringify(spec.accounts)})`),
    ),
  ]);
}

export async function updateJobIndex(db: D1Db, u: JobIndexUpdate): Promise<void> {
  await db.update(jobs).set(jobIndexChanges(u)).where(eq(jobs.jobId, u.job_id));
}

export async function listJobs(db: D1Db, q: JobListQuery): Promise<JobSummary[]> {
  const rows = await db
    .select()
    .from(jobs)
    .where(jobListWhere(jobs, q))
    .orderBy(desc(jobs.createdAt), desc(jobs.jobId))
    .limit(q.limit);
  return rows.map(jobSummaryOf);
}

export async function jobExists(db: D1Db, jobId: string, tenant?: string): Promise<boolean> {
  return (
    (await db
      .select({ jobId: jobs.jobId })
      .from(jobs)
      .where(
        and(
          eq(jobs.jobId, jobId),
          ifSet(tenant, (x) => eq(jobs.tenantId, x)),
        ),
      )
      .get()) !== undefined
  );
}

export async function openJobsForAccount(
  db: D1Db,
  provider: Provider,
  account: string,
  tenant: string,
): Promise<string[]> {
  const rows = await db
    .select({ jobId: jobs.jobId })
    .from(jobAccounts)
    .innerJoin(jobs, eq(jobs.jobId, jobAccounts.jobId))
    .where(
      and(
        eq(jobAccounts.provider, provider),
        eq(jobAccounts.account, account),
        eq(jobs.tenantId, tenant),
        inArray(jobs.status, ['pending', 'running']),
      ),
    )
    .orderBy(asc(jobs.createdAt));
  return rows.map((r) => r.jobId);
}

export async function recordAgent(
  db: D1Db,
  provider: Provider,
  account: string,
  agentId: string,
  seenAt: string,
  tenant: string,
): Promise<void> {
  await db
    .insert(agents)
    .values({ tenantId: tenant, provider, account, agentId, lastSeenAt: seenAt })
    .onConflictDoUpdate({
      target: [agents.tenantId, agents.provider, agents.account, agents.agentId],
      set: { lastSeenAt: excluded(agents.lastSeenAt) },
    });
}

export async function accountsSeenSince(
  db: D1Db,
  provider: Provider,
  since: string,
  tenant?: string,
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ account: agents.account })
    .from(agents)
    .where(
      and(
        eq(agents.provider, provider),
        gte(agents.lastSeenAt, since),
        ifSet(tenant, (x) => eq(agents.tenantId, x)),
      ),
    )
    .orderBy(asc(agents.account));
  return rows.map((r) => r.account);
}
