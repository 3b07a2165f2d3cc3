import { count, eq, exists, inArray, max, min } from 'drizzle-orm';
import type { IgnoreRules } from '../../contract/ignore.js';
import { analyses, deadLetters, driftAcks, driftItems, jobs, resourceCounts, settings } from '../../schema/d1.js';
import { openShardsSum, resourceSum, settingUpdate } from '../queries.js';
import { countsByKey, deadLetterRow, ignoreRulesKey, NO_IGNORE_RULES, readVersionOf } from '../rows.js';
import type { DeadLetter, OperationalCounts, ReadVersion } from '../store.js';
import { type D1Db, runAtomically } from './batching.js';

/** One statement a letter (five values each), all in one atomic batch; a letter recorded before is kept. */
export async function recordDeadLetters(db: D1Db, letters: DeadLetter[], receivedAt: string): Promise<void> {
  await runAtomically(
    db,
    letters.map((l) => db.insert(deadLetters).values(deadLetterRow(l, receivedAt)).onConflictDoNothing()),
  );
}

export async function getIgnoreRules(db: D1Db, tenant: string): Promise<IgnoreRules> {
  const row = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, ignoreRulesKey(tenant)))
    .get();
  return row ? (row.value as IgnoreRules) : NO_IGNORE_RULES;
}

export async function putIgnoreRules(db: D1Db, tenant: string, rules: IgnoreRules, updatedAt: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key: ignoreRulesKey(tenant), value: rules, updatedAt })
    .onConflictDoUpdate({ target: settings.key, set: settingUpdate(settings) });
}

/** Every figure the metrics endpoint reports, in one batch round trip. */
export async function operationalCounts(db: D1Db): Promise<OperationalCounts> {
  const [byStatus, [backlog], [letters]] = await db.batch([
    db.select({ key: jobs.status, n: count() }).from(jobs).groupBy(jobs.status),
    db
      .select({ n: openShardsSum(jobs) })
      .from(jobs)
      .where(inArray(jobs.status, ['pending', 'running'])),
    db.select({ n: count() }).from(deadLetters),
  ]);
  return {
    jobs_by_status: countsByKey(byStatus),
    shards_open: backlog?.n ?? 0,
    dead_letters: letters?.n ?? 0,
  };
}

/** The aggregates of ReadVersion, in one batch round trip. */
export async function readVersion(db: D1Db): Promise<ReadVersion> {
  const withDetail = exists(
    db.select({ jobId: driftItems.jobId }).from(driftItems).where(eq(driftItems.jobId, analyses.jobId)),
  );
  const [[a], [detail], [k], [s], [r]] = await db.batch([
    db.select({ n: count(), last: max(analyses.completedAt) }).from(analyses),
    db
      .select({ oldest: min(analyses.completedAt) })
      .from(analyses)
      .where(withDetail),
    db.select({ n: count(), last: max(driftAcks.createdAt) }).from(driftAcks),
    db.select({ n: count(), last: max(settings.updatedAt) }).from(settings),
    db.select({ n: count(), total: resourceSum(resourceCounts) }).from(resourceCounts),
  ]);
  return readVersionOf({ analyses: a, detail, acks: k, settings: s, counts: r });
}
