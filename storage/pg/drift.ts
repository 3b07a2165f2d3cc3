import { and, asc, type Column, desc, eq, exists, inArray, lt, max, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Provider } from '../../contract/resource.js';
import type { DriftItem, DriftReport } from '../../engine/index.js';
import { analyses, fingerprints, driftItems as items, jobs, driftTracks as tracks } from '../../schema/pg.js';
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
import { jsonChunks, PG_JSON } from './bulk.js';
import type { PgDb } from './connection.js';

/** The member `key` of each drift item row's item, selected as `column`. */
const itemField = <C extends Column>(column: C, key: string) =>
  sql<C['_']['data']>`e -> 'item' ->> ${sql.raw(`'${key}'`)}`.as(column.name);

/**
 * Replaces one part of a job's drift items in one transaction: readers see the old part or the new, never a mix.
 * The items go as JSON read with jsonb_array_elements: far faster than bound values for a large analysis.
 */
export async function saveDriftItems(
  db: PgDb,
  jobId: string,
  firstSeq: number,
  driftItems: DriftItem[],
): Promise<void> {
  const chunks = jsonChunks(
    driftItems.map((item, i) => ({ seq: firstSeq + i, item })),
    (row) => `drift item ${row.item.address}`,
  );
  await db.transaction(async (tx) => {
    await tx.delete(items).where(driftPartWhere(items, jobId, firstSeq, DRIFT_PART_SPAN));
    for (const json of chunks) {
      await tx.insert(items).select((qb) =>
        qb
          .select({
            jobId: valueAs(items.jobId, jobId),
            seq: sql<number>`(e ->> 'seq')::int`.as('seq'),
            kind: itemField(items.kind, 'kind'),
            severity: itemField(items.severity, 'severity'),
            score: sql<number>`(e -> 'item' ->> 'score')::float8`.as('score'),
            provider: itemField(items.provider, 'provider'),
            account: itemField(items.account, 'account'),
            region: itemField(items.region, 'region'),
            tfType: itemField(items.tfType, 'tf_type'),
            cloudType: itemField(items.cloudType, 'cloud_type'),
            address: itemField(items.address, 'address'),
            resourceId: itemField(items.resourceId, 'id'),
            body: sql<DriftItem>`e -> 'item'`.as('body'),
          })
          .from(sql`jsonb_array_elements(${json}::jsonb) AS e`),
      );
    }
  });
}

export async function saveAnalysisSummary(db: PgDb, a: StoredAnalysis): Promise<void> {
  await db
    .insert(analyses)
    .values(analysisRow(a))
    .onConflictDoUpdate({ target: analyses.jobId, set: analysisUpdate(analyses) });
}

export async function listDriftItems(db: PgDb, filter: DriftFilter, afterSeq: number, limit: number) {
  return db
    .select({ seq: items.seq, item: items.body })
    .from(items)
    .where(driftWhere(items, filter, afterSeq, PG_JSON))
    .orderBy(asc(items.seq))
    .limit(limit);
}

export async function getAnalysis(db: PgDb, jobId: string): Promise<StoredAnalysis | null> {
  const [row] = await db.select(analysisColumns(analyses)).from(analyses).where(eq(analyses.jobId, jobId));
  return row ? storedAnalysisOf(row) : null;
}

/** The newest analysis of each provider (of a tenant's jobs, when one is given). */
export async function latestAnalyses(db: PgDb, tenant?: string): Promise<StoredAnalysis[]> {
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

export async function latestAnalysedJob(db: PgDb, provider?: Provider, tenant?: string): Promise<string | null> {
  const [row] = await db
    .select({ jobId: analyses.jobId })
    .from(analyses)
    .where(
      and(
        ifSet(provider, (p) => eq(analyses.provider, p)),
        ifSet(tenant, (x) => jobOfTenant(analyses.jobId, jobs, x)),
      ),
    )
    .orderBy(desc(analyses.completedAt))
    .limit(1);
  return row?.jobId ?? null;
}

export async function loadReport(db: PgDb, jobId: string): Promise<DriftReport | null> {
  const analysis = await getAnalysis(db, jobId);
  if (!analysis) return null;
  const rows = await db.select({ body: items.body }).from(items).where(eq(items.jobId, jobId)).orderBy(asc(items.seq));
  return { summary: analysis.summary, items: rows.map((r) => r.body), duplicates: analysis.duplicates };
}

export async function analysesBetween(
  db: PgDb,
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

/** A provider's fingerprints; with `keys`, those of these keys only. */
export async function loadFingerprints(
  db: PgDb,
  tenant: string,
  provider: Provider,
  keys?: readonly string[],
): Promise<Record<string, string>> {
  const rows: { key: string; fingerprint: string }[] = [];
  for (const group of keys ? jsonChunks(keys, (key) => `fingerprint key ${key}`) : [undefined]) {
    const ofKeys =
      group === undefined ? undefined : sql`${fingerprints.key} IN (SELECT json_array_elements_text(${group}::json))`;
    rows.push(
      ...(await db
        .select({ key: fingerprints.key, fingerprint: fingerprints.fingerprint })
        .from(fingerprints)
        .where(and(eq(fingerprints.tenantId, tenant), eq(fingerprints.provider, provider), ofKeys))),
    );
  }
  return Object.fromEntries(rows.map((r) => [r.key, r.fingerprint]));
}

/** Fingerprints as JSON read with json_array_elements: far faster than bound values for a large analysis. */
export async function saveFingerprints(
  db: PgDb,
  tenant: string,
  provider: Provider,
  saved: Record<string, string>,
): Promise<void> {
  for (const json of jsonChunks(Object.entries(saved), ([key]) => `fingerprint ${key}`)) {
    await db
      .insert(fingerprints)
      .select((qb) =>
        qb
          .select({
            tenantId: valueAs(fingerprints.tenantId, tenant),
            provider: valueAs(fingerprints.provider, provider),
            key: sql<string>`e ->> 0`.as('key'),
            fingerprint: sql<string>`e ->> 1`.as('fingerprint'),
          })
          .from(sql`json_array_elements(${json}::json) AS e`),
      )
      .onConflictDoUpdate({
        target: [fingerprints.tenantId, fingerprints.provider, fingerprints.key],
        set: { fingerprint: excluded(fingerprints.fingerprint) },
      });
  }
}

/** Finds and deletes the old detail, and the tracks resolved before then, in one transaction. */
export async function pruneDriftDetail(db: PgDb, before: string): Promise<string[]> {
  const old = lt(analyses.completedAt, before);
  return db.transaction(async (tx) => {
    const withDetail = exists(tx.select({ jobId: items.jobId }).from(items).where(eq(items.jobId, analyses.jobId)));
    const pruned = await tx.select({ jobId: analyses.jobId }).from(analyses).where(and(old, withDetail));
    await tx.delete(items).where(inArray(items.jobId, tx.select({ jobId: analyses.jobId }).from(analyses).where(old)));
    await tx.delete(tracks).where(resolvedBeforeWhere(tracks, before));
    return pruned.map((r) => r.jobId);
  });
}
