import { asc, lt, sql } from 'drizzle-orm';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceCounts as counts, resources } from '../../schema/d1.js';
import { resourceWhere, restoreUpdate, scopeCountColumns, sightingUpdate } from '../queries.js';
import { discoveredColumns, restoredRows, sightingRows, storedColumns, withoutNullName, type UpsertRow } from '../rows.js';
import type { ResourceBatch, ResourceCount, ResourceQuery, StoredResource } from '../store.js';
import { JSON_ROWS, jsonMember, jsonRowStatements, runAtomically, runInBatches, type D1Db } from './batching.js';

const INVENTORY_PAGE = 5000;

/** The ingest path: a group of rows as one JSON parameter read with json_each, D1 taking 100 bound parameters a statement. */
function upsertStatement(db: D1Db, update: ReturnType<typeof sightingUpdate>) {
  return db
    .insert(resources)
    .select((qb) =>
      qb
        .select({
          resourceKey: jsonMember(resources.resourceKey, '$.k'),
          provider: jsonMember(resources.provider, '$.p'),
          account: jsonMember(resources.account, '$.a'),
          region: jsonMember(resources.region, '$.r'),
          type: jsonMember(resources.type, '$.t'),
          resourceId: jsonMember(resources.resourceId, '$.i'),
          name: jsonMember(resources.name, '$.n'),
          attributes: jsonMember(resources.attributes, '$.at', '->'),
          tags: jsonMember(resources.tags, '$.tg', '->'),
          firstSeenJob: jsonMember(resources.firstSeenJob, '$.f'),
          lastSeenJob: jsonMember(resources.lastSeenJob, '$.l'),
          lastSeenAt: jsonMember(resources.lastSeenAt, '$.s'),
        })
        .from(sql`json_each(${JSON_ROWS})`)
        // Without a WHERE, SQLite would read ON CONFLICT as a join constraint of the SELECT.
        .where(sql`true`),
    )
    .onConflictDoUpdate({ target: resources.resourceKey, set: update });
}

async function writeRows(db: D1Db, rows: UpsertRow[], update: ReturnType<typeof sightingUpdate>): Promise<void> {
  await runInBatches(db, jsonRowStatements(db, rows, (r) => `resource ${r.i}`, upsertStatement(db, update)));
}

export async function upsertResources(db: D1Db, batches: ResourceBatch[], seenAt: string): Promise<void> {
  await writeRows(db, sightingRows(batches, seenAt), sightingUpdate(resources));
}

export async function restoreResources(db: D1Db, stored: StoredResource[]): Promise<void> {
  await writeRows(db, restoredRows(stored), restoreUpdate(resources));
}

/** Every resource a job discovered, read in key order a page at a time. */
export async function loadInventory(db: D1Db, jobId: string, account?: string): Promise<DiscoveredResource[]> {
  const all: DiscoveredResource[] = [];
  for (let after = ''; ; ) {
    const page = await db
      .select({ key: resources.resourceKey, ...discoveredColumns(resources) })
      .from(resources)
      .where(resourceWhere(resources, { job_id: jobId, account, after }))
      .orderBy(asc(resources.resourceKey))
      .limit(INVENTORY_PAGE);
    for (const { key: _key, ...resource } of page) all.push(withoutNullName(resource));
    if (page.length < INVENTORY_PAGE) return all;
    after = page.at(-1)!.key;
  }
}

export async function listResources(db: D1Db, q: ResourceQuery): Promise<StoredResource[]> {
  const rows = await db.select(storedColumns(resources)).from(resources).where(resourceWhere(resources, q)).orderBy(asc(resources.resourceKey)).limit(q.limit);
  return rows.map(withoutNullName);
}

export async function pruneStaleResources(db: D1Db, before: string): Promise<number> {
  const result = await db.delete(resources).where(lt(resources.lastSeenAt, before));
  return result.meta.changes;
}

export async function refreshResourceCounts(db: D1Db): Promise<void> {
  await runAtomically(db, [
    db.delete(counts),
    db.insert(counts).select((qb) => qb.select(scopeCountColumns(resources)).from(resources).groupBy(resources.provider, resources.account, resources.region, resources.type)),
  ]);
}

export async function resourceCounts(db: D1Db): Promise<ResourceCount[]> {
  return db.select().from(counts).orderBy(asc(counts.provider), asc(counts.account), asc(counts.region), asc(counts.type));
}
