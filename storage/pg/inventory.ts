import { asc, lt, sql } from 'drizzle-orm';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceCounts as counts, resources } from '../../schema/pg.js';
import { resourceWhere, restoreUpdate, scopeCountColumns, sightingUpdate } from '../queries.js';
import { discoveredColumns, restoredRows, sightingRows, storedColumns, withoutNullName, type UpsertRow } from '../rows.js';
import type { ResourceBatch, ResourceCount, ResourceQuery, StoredResource } from '../store.js';
import type { PgDb } from './connection.js';
import { jsonChunks, recordField, uniqueByKey } from './bulk.js';

/** The ingest path: a delivery's rows as one JSON parameter read with json_to_recordset, far faster than bound values. */
function upsertStatement(db: PgDb, json: string, update: ReturnType<typeof sightingUpdate>) {
  return db
    .insert(resources)
    .select((qb) =>
      qb
        .select({
          resourceKey: recordField(resources.resourceKey, 'k'),
          provider: recordField(resources.provider, 'p'),
          account: recordField(resources.account, 'a'),
          region: recordField(resources.region, 'r'),
          type: recordField(resources.type, 't'),
          resourceId: recordField(resources.resourceId, 'i'),
          name: recordField(resources.name, 'n'),
          attributes: recordField(resources.attributes, 'at'),
          tags: recordField(resources.tags, 'tg'),
          firstSeenJob: recordField(resources.firstSeenJob, 'f'),
          lastSeenJob: recordField(resources.lastSeenJob, 'l'),
          lastSeenAt: recordField(resources.lastSeenAt, 's'),
        })
        .from(sql`json_to_recordset(${json}::json) AS x(k text, p text, a text, r text, t text, i text, n text, at jsonb, tg jsonb, f text, l text, s timestamptz)`),
    )
    .onConflictDoUpdate({ target: resources.resourceKey, set: update });
}

async function writeRows(db: PgDb, rows: UpsertRow[], update: ReturnType<typeof sightingUpdate>): Promise<void> {
  for (const json of jsonChunks(rows, (r) => `resource ${r.i}`)) await upsertStatement(db, json, update);
}

/**
 * The rows a delivery upserts, one per key in key order. A resource seen twice in one delivery
 * keeps its first sighting's job as first_seen, as two upserts in a row would.
 */
export function upsertRowsOf(batches: ResourceBatch[], seenAt: string): UpsertRow[] {
  return uniqueByKey(sightingRows(batches, seenAt), (r) => r.k, (earlier, later) => ({ ...later, f: earlier.f }));
}

export async function upsertRows(db: PgDb, rows: UpsertRow[]): Promise<void> {
  await writeRows(db, rows, sightingUpdate(resources));
}

export async function restoreResources(db: PgDb, stored: StoredResource[]): Promise<void> {
  await writeRows(db, uniqueByKey(restoredRows(stored), (r) => r.k, (_, later) => later), restoreUpdate(resources));
}

/** Every resource a job discovered, in key order, in one query. */
export async function loadInventory(db: PgDb, jobId: string, account?: string): Promise<DiscoveredResource[]> {
  const rows = await db.select(discoveredColumns(resources)).from(resources).where(resourceWhere(resources, { job_id: jobId, account })).orderBy(asc(resources.resourceKey));
  return rows.map(withoutNullName);
}

export async function listResources(db: PgDb, q: ResourceQuery): Promise<StoredResource[]> {
  const rows = await db.select(storedColumns(resources)).from(resources).where(resourceWhere(resources, q)).orderBy(asc(resources.resourceKey)).limit(q.limit);
  return rows.map(withoutNullName);
}

export async function pruneStaleResources(db: PgDb, before: string): Promise<number> {
  const result = await db.delete(resources).where(lt(resources.lastSeenAt, before));
  return result.rowCount ?? 0;
}

/** Replaces every count in one transaction. */
export async function refreshResourceCounts(db: PgDb): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(counts);
    await tx.insert(counts).select((qb) => qb.select(scopeCountColumns(resources)).from(resources).groupBy(resources.provider, resources.account, resources.region, resources.type));
  });
}

export async function resourceCounts(db: PgDb): Promise<ResourceCount[]> {
  return db.select().from(counts).orderBy(asc(counts.provider), asc(counts.account), asc(counts.region), asc(counts.type));
}
