import { resourceKey, type DiscoveredResource } from '../../contract/resource.js';
import { discoveredOf, RESOURCE_COLUMNS, storedResourceOf, type ResourceRow } from '../rows.js';
import type { ResourceBatch, ResourceCount, ResourceQuery, StoredResource } from '../store.js';
import { jsonRowStatements, runNativeInBatches as runInBatches } from './batching.js';

const INVENTORY_PAGE = 5000;

/** D1 returns JSON columns as text. */
type D1ResourceRow = Omit<ResourceRow, 'attributes' | 'tags'> & { attributes: string; tags: string };

function storedOf(r: D1ResourceRow): StoredResource {
  return storedResourceOf({ ...r, attributes: JSON.parse(r.attributes), tags: JSON.parse(r.tags) });
}

const UPSERT = `INSERT INTO resources (${RESOURCE_COLUMNS})
  SELECT value ->> '$.k', value ->> '$.p', value ->> '$.a', value ->> '$.r', value ->> '$.t', value ->> '$.i',
         value ->> '$.n', value -> '$.at', value -> '$.tg', value ->> '$.f', value ->> '$.l', value ->> '$.s'
  FROM json_each(?1) WHERE true
  ON CONFLICT (resource_key) DO UPDATE SET
    region = excluded.region, name = excluded.name, attributes = excluded.attributes, tags = excluded.tags,
    last_seen_job = excluded.last_seen_job, last_seen_at = excluded.last_seen_at`;

/** The row shape the upsert's json_each reads; first_seen only applies to new rows. */
function rowOf(r: DiscoveredResource, first: string, last: string, seenAt: string, key = resourceKey(r)) {
  return { k: key, p: r.provider, a: r.account, r: r.region, t: r.type, i: r.id, n: r.name ?? null, at: r.attributes, tg: r.tags, f: first, l: last, s: seenAt };
}

export async function upsertResources(db: D1Database, batches: ResourceBatch[], seenAt: string): Promise<void> {
  const rows = batches.flatMap((b) => b.resources.map((r) => rowOf(r, b.job_id, b.job_id, seenAt)));
  await runInBatches(db, jsonRowStatements(rows, (r) => `resource ${r.i}`, (json) => db.prepare(UPSERT).bind(json)));
}

export async function restoreResources(db: D1Database, stored: StoredResource[]): Promise<void> {
  const rows = stored.map((r) => rowOf(r, r.first_seen_job, r.last_seen_job, r.last_seen_at, r.resource_key));
  const restore = UPSERT.replace('last_seen_at = excluded.last_seen_at', 'last_seen_at = excluded.last_seen_at, first_seen_job = excluded.first_seen_job');
  await runInBatches(db, jsonRowStatements(rows, (r) => `resource ${r.i}`, (json) => db.prepare(restore).bind(json)));
}

/** Every resource a job discovered, read in key order a page at a time. */
export async function loadInventory(db: D1Database, jobId: string, account?: string): Promise<DiscoveredResource[]> {
  const all: DiscoveredResource[] = [];
  for (let after = ''; ; ) {
    const page = await listResources(db, { job_id: jobId, account, after, limit: INVENTORY_PAGE });
    for (const r of page) all.push(discoveredOf(r));
    if (page.length < INVENTORY_PAGE) return all;
    after = page.at(-1)!.resource_key;
  }
}

export async function listResources(db: D1Database, q: ResourceQuery): Promise<StoredResource[]> {
  const filters: [unknown, string][] = [
    [q.provider, 'provider = ?'],
    [q.account, 'account = ?'],
    [q.region, 'region = ?'],
    [q.type, 'type = ?'],
    [q.job_id, 'last_seen_job = ?'],
    [q.after, 'resource_key > ?'],
  ];
  const used = filters.filter(([value]) => value !== undefined);
  const where = used.length ? `WHERE ${used.map(([, clause]) => clause).join(' AND ')}` : '';
  const { results } = await db
    .prepare(`SELECT ${RESOURCE_COLUMNS} FROM resources ${where} ORDER BY resource_key LIMIT ?`)
    .bind(...used.map(([value]) => value), q.limit)
    .all<D1ResourceRow>();
  return results.map(storedOf);
}

export async function pruneStaleResources(db: D1Database, before: string): Promise<number> {
  const result = await db.prepare(`DELETE FROM resources WHERE last_seen_at < ?`).bind(before).run();
  return result.meta.changes;
}

export async function refreshResourceCounts(db: D1Database): Promise<void> {
  await db.batch([
    db.prepare(`DELETE FROM resource_counts`),
    db.prepare(
      `INSERT INTO resource_counts (provider, account, region, type, count)
       SELECT provider, account, region, type, COUNT(*) FROM resources GROUP BY provider, account, region, type`,
    ),
  ]);
}

export async function resourceCounts(db: D1Database): Promise<ResourceCount[]> {
  const { results } = await db
    .prepare(`SELECT provider, account, region, type, count FROM resource_counts ORDER BY provider, account, region, type`)
    .all<ResourceCount>();
  return results;
}
