import { and, asc, desc, eq, gte, inArray } from 'drizzle-orm';
import type { JobSummary } from '../../contract/api.js';
import type { JobSpec } from '../../contract/job.js';
import type { Provider } from '../../contract/resource.js';
import { agents, jobAccounts, jobs } from '../../schema/pg.js';
import { excluded, ifSet, jobListWhere } from '../queries.js';
import { jobIndexChanges, jobSummaryOf, newJobRow } from '../rows.js';
import type { JobIndexUpdate, JobListQuery } from '../store.js';
import type { PgDb } from './connection.js';

/** Writes the job and its accounts in one transaction, so both land or neither does. */
export async function indexJob(db: PgDb, spec: JobSpec, createdAt: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(jobs).values(newJobRow(spec, createdAt));
    if (spec.accounts.length > 0) {
      await tx
        .insert(jobAccounts)
        .values(spec.accounts.map((account) => ({ jobId: spec.job_id, provider: spec.provider, account })));
    }
  });
}

export async function updateJobIndex(db: PgDb, u: JobIndexUpdate): Promise<void> {
  await db.update(jobs).set(jobIndexChanges(u)).where(eq(jobs.jobId, u.job_id));
}

export async function listJobs(db: PgDb, q: JobListQuery): Promise<JobSummary[]> {
  const rows = await db
    .select()
    .from(jobs)
    .where(jobListWhere(jobs, q))
    .orderBy(desc(jobs.createdAt), desc(jobs.jobId))
    .limit(q.limit);
  return rows.map(jobSummaryOf);
}

export async function jobExists(db: PgDb, jobId: string, tenant?: string): Promise<boolean> {
  return (
    (
      await db
        .select({ jobId: jobs.jobId })
        .from(jobs)
        .where(
          and(
            eq(jobs.jobId, jobId),
            ifSet(tenant, (x) => eq(jobs.tenantId, x)),
          ),
        )
        .limit(1)
    ).length > 0
  );
}

export async function openJobsForAccount(
  db: PgDb,
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
  db: PgDb,
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
  db: PgDb,
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
