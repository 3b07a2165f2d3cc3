import { count, eq, exists, inArray, max, min } from 'drizzle-orm';
import type { IgnoreRules } from '../../contract/ignore.js';
import { analyses, deadLetters, driftAcks, driftItems, jobs, resourceCounts, settings } from '../../schema/pg.js';
import { openShardsSum, resourceSum, settingUpdate } from '../queries.js';
import { countsByKey, deadLetterRow, ignoreRulesKey, NO_IGNORE_RULES, readVersionOf } from '../rows.js';
import type { DeadLetter, OperationalCounts, ReadVersion } from '../store.js';
import type { PgDb } from './connection.js';

/** A letter recorded before is kept. */
export async function recordDeadLetters(db: PgDb, letters: DeadLetter[], receivedAt: string): Promise<void> {
  if (letters.length === 0) return;
  await db
    .insert(deadLetters)
    .values(letters.map((l) => deadLetterRow(l, receivedAt)))
    .onConflictDoNothing();
}

export async function getIgnoreRules(db: PgDb, tenant: string): Promise<IgnoreRules> {
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, ignoreRulesKey(tenant)));
  return row ? (row.value as IgnoreRules) : NO_IGNORE_RULES;
}

export async function putIgnoreRules(db: PgDb, tenant: string, rules: IgnoreRules, updatedAt: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key: ignoreRulesKey(tenant), value: rules, updatedAt })
    .onConflictDoUpdate({ target: settings.key, set: settingUpdate(settings) });
}

/** Every figure the metrics endpoint reports, over one connection. */
export async function operationalCounts(db: PgDb): Promise<OperationalCounts> {
  const byStatus = await db.select({ key: jobs.status, n: count() }).from(jobs).groupBy(jobs.status);
  const [backlog] = await db
    .select({ n: openShardsSum(jobs) })
    .from(jobs)
    .where(inArray(jobs.status, ['pending', 'running']));
  const [letters] = await db.select({ n: count() }).from(deadLetters);
  return {
    jobs_by_status: countsByKey(byStatus),
    shards_open: backlog?.n ?? 0,
    dead_letters: letters?.n ?? 0,
  };
}

/** The aggregates of ReadVersion, over one connection. */
export async function readVersion(db: PgDb): Promise<ReadVersion> {
  const withDetail = exists(
    db.select({ jobId: driftItems.jobId }).from(driftItems).where(eq(driftItems.jobId, analyses.jobId)),
  );
  const [[a], [detail], [k], [s], [r]] = await Promise.all([
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
