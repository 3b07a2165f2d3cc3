import { and, asc, desc, eq, exists, inArray, lt, max, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { ROWS_JSON_BYTES } from '../../contract/limits.js';
import type { Provider } from '../../contract/resource.js';
import type { DriftItem, DriftReport } from '../../engine/index.js';
import { analyses, fingerprints, driftItems as items, jobs, driftTracks as tracks } from '../../schema/d1.js';
import { jsonGroups } from '../json-rows.js';
import {
  analysesWindowWhere,
  analysisUpdate,
  driftPartWhere,
  driftWhere,
  excluded,
  ifSet,
  jobOfTenant,
  resolvedBeforeWhere,
  valueAs,
} from '../queries.js';
import { analysisColumns, analysisRow, storedAnalysisOf } from '../rows.js';
import { DRIFT_PART_SPAN, type DriftFilter, type StoredAnalysis } from '../store.js';
import { D1_JSON, type D1Db, JSON_ROWS, jsonMember, jsonRowStatements, runInBatches } from './batching.js';

/** A part's items as JSON groups read with json_each: an analysis finds far more items than D1's 100 bound parameters allow. */
export async function saveDriftItems(
  db: D1Db,
  jobId: string,
  firstSeq: number,
  driftItems: DriftItem[],
): Promise<void> {
  const insert = db.insert(items).select((qb) =>
    qb
      .select({
        jobId: valueAs(items.jobId, jobId),
        seq: jsonMember(items.seq, '$.seq'),
        kind: jsonMember(items.kind, '$.item.kind'),
        severity: jsonMember(items.severity, '$.item.severity'),
        score: jsonMember(items.score, '$.item.score'),
        provider: jsonMember(items.provider, '$.item.provider'),
        account: jsonMember(items.account, '$.item.account'),
        region: jsonMember(items.region, '$.item.region'),
        tfType: jsonMember(items.tfType, '$.item.tf_type'),
        cloudType: jsonMember(items.cloudType, '$.item.cloud_type'),
        address: jsonMember(items.address, '$.item.address'),
        resourceId: jsonMember(items.resourceId, '$.item.id'),
        body: jsonMember(items.body, '$.item', '->'),
      })
      .from(sql`json_each(${JSON_ROWS})`),
  );
  const rows = driftItems.map((item, i) => ({ seq: firstSeq + i, item }));
  const inserts = jsonRowStatements(db, rows, (row) => `drift item ${row.item.address}`, insert);
  await db.delete(items).where(driftPartWhere(items, jobId, firstSeq, DRIFT_PART_SPAN));
  await runInBatches(db, inserts);
}

export async function saveAnalysisSummary(db: D1Db, a: StoredAnalysis): Promise<void> {
  await db
    .insert(analyses)
    .values(analysisRow(a))
    .onConflictDoUpdate({ target: analyses.jobId, set: analysisUpdate(analyses) });
}

export async function listDriftItems(db: D1Db, filter: DriftFilter, afterSeq: number, limit: number) {
  return db
    .select({ seq: items.seq, item: items.body })
    .from(items)
    .where(driftWhere(items, filter, afterSeq, D1_JSON))
    .orderBy(asc(items.seq))
    .limit(limit);
}

export async function getAnalysis(db: D1Db, jobId: string): Promise<StoredAnalysis | null> {
  const row = await db.select(analysisColumns(analyses)).from(analyses).where(eq(analyses.jobId, jobId)).get();
  return row ? storedAnalysisOf(row) : null;
}

/** The newest analysis of each provider (of a tenant's jobs, when one is given). */
export async function latestAnalyses(db: D1Db, tenant?: string): Promise<StoredAnalysis[]> {
  const other = alias(analyses, 'other');
  const newest = db
    .select({ at: max(other.completedAt) })
    .from(other)
    .where(
      and(
        eq(other.provider, analyses.provider),
        ifSet(tenant, (x) => jobOfTenant(other.jobId, jobs, x)),
      ),
    );
  const rows = await db
    .select(analysisColumns(analyses))
    .from(analyses)
    .where(
      and(
        eq(analyses.completedAt, newest),
        ifSet(tenant, (x) => jobOfTenant(analyses.jobId, jobs, x)),
      ),
    )
    .orderBy(asc(analyses.provider));
  return rows.map(storedAnalysisOf);
}

export async function latestAnalysedJob(db: D1Db, provider?: Provider, tenant?: string): Promise<string | null> {
  const row = await db
    .select({ jobId: analyses.jobId })
    .from(analyses)
    .where(
      and(
        ifSet(provider, (p) => eq(analyses.provider, p)),
        ifSet(tenant, (x) => jobOfTenant(analyses.jobId, jobs, x)),
      ),
    )
    .orderBy(desc(analyses.completedAt))
    .limit(1)
    .get();
  return row?.jobId ?? null;
}

export async function loadReport(db: D1Db, jobId: string): Promise<DriftReport | null> {
  const analysis = await getAnalysis(db, jobId);
  if (!analysis) return null;
  const rows = await db.select({ body: items.body }).from(items).where(eq(items.jobId, jobId)).orderBy(asc(items.seq));
  return { summary: analysis.summary, items: rows.map((r) => r.body), duplicates: analysis.duplicates };
}

export async function analysesBetween(
  db: D1Db,
  since: string,
  until: string,
  provider?: Provider,
  tenant?: string,
): Promise<StoredAnalysis[]> {
  const rows = await db
    .select(analysisColumns(analyses))
    .from(analyses)
    .where(analysesWindowWhere(analyses, jobs, since, until, provider, tenant))
    .orderBy(asc(analyses.completedAt));
  return rows.map(storedAnalysisOf);
}

/** A provider's fingerprints; with `keys`, those of these keys only, a JSON group of keys a query. */
export async function loadFingerprints(
  db: D1Db,
  tenant: string,
  provider: Provider,
  keys?: readonly string[],
): Promise<Record<string, string>> {
  const read = (where: SQL | undefined) =>
    db
      .select({ key: fingerprints.key, fingerprint: fingerprints.fingerprint })
      .from(fingerprints)
      .where(and(eq(fingerprints.tenantId, tenant), eq(fingerprints.provider, provider), where));
  const groups = keys && jsonGroups(keys, ROWS_JSON_BYTES, (key) => `fingerprint key ${key}`);
  const rows = groups
    ? (
        await Promise.all(groups.map((g) => read(sql`${fingerprints.key} IN (SELECT value FROM json_each(${g}))`)))
      ).flat()
    : await read(undefined);
  return Object.fromEntries(rows.map((r) => [r.key, r.fingerprint]));
}

/** Fingerprints as JSON groups read with json_each: an analysis saves far more than D1's 100 bound parameters allow. */
export async function saveFingerprints(
  db: D1Db,
  tenant: string,
  provider: Provider,
  saved: Record<string, string>,
): Promise<void> {
  const upsert = db
    .insert(fingerprints)
    .select((qb) =>
      qb
        .select({
          tenantId: valueAs(fingerprints.tenantId, tenant),
          provider: valueAs(fingerprints.provider, provider),
          key: jsonMember(fingerprints.key, '$[0]'),
          fingerprint: jsonMember(fingerprints.fingerprint, '$[1]'),
        })
        .from(sql`json_each(${JSON_ROWS})`)
        // Without a WHERE, SQLite would read ON CONFLICT as a join constraint of the SELECT.
        .where(sql`true`),
    )
    .onConflictDoUpdate({
      target: [fingerprints.tenantId, fingerprints.provider, fingerprints.key],
      set: { fingerprint: excluded(fingerprints.fingerprint) },
    });
  await runInBatches(
    db,
    jsonRowStatements(db, Object.entries(saved), ([key]) => `fingerprint ${key}`, upsert),
  );
}

/** Finds and deletes the old detail, and the tracks resolved before then, in one atomic batch. */
export async function pruneDriftDetail(db: D1Db, before: string): Promise<string[]> {
  const old = lt(analyses.completedAt, before);
  const withDetail = exists(db.select({ jobId: items.jobId }).from(items).where(eq(items.jobId, analyses.jobId)));
  const [pruned] = await db.batch([
    db.select({ jobId: analyses.jobId }).from(analyses).where(and(old, withDetail)),
    db.delete(items).where(inArray(items.jobId, db.select({ jobId: analyses.jobId }).from(analyses).where(old))),
    db.delete(tracks).where(resolvedBeforeWhere(tracks, before)),
  ]);
  return pruned.map((r) => r.jobId);
}
