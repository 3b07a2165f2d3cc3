import { resourceKey, type DiscoveredResource } from '../../contract/resource.js';
import { discoveredOf, RESOURCE_COLUMNS, storedResourceOf, type ResourceRow } from '../rows.js';
import type { ResourceBatch, ResourceCount, ResourceQuery, StoredResource } from '../store.js';
import type { Sql } from './connection.js';
import { Binds, jsonChunks, uniqueByKey } from './rows.js';



/** The row shape the upsert's json_to_recordset reads; first_seen only applies to new rows. */
interface UpsertRow {
  k: string;
  p: string;
  a: string;
  r: string;
  t: string;
  i: string;
  n: string | null;
  at: Record<string, unknown>;
  tg: Record<string, string>;
  f: string;
  l: string;
  s: string;
}

function rowOf(r: DiscoveredResource, first: string, last: string, seenAt: string, key = resourceKey(r)): UpsertRow {
  return { k: key, p: r.provider, a: r.account, r: r.region, t: r.type, i: r.id, n: r.name ?? null, at: r.attributes, tg: r.tags, f: first, l: last, s: seenAt };
}

const UPDATED_ON_SIGHTING = `region = excluded.region, name = excluded.name, attributes = excluded.attributes, tags = excluded.tags,
    last_seen_job = excluded.last_seen_job, last_seen_at = excluded.last_seen_at`;

const upsert = (onConflict: string) => `INSERT INTO resources (${RESOURCE_COLUMNS})
  SELECT k, p, a, r, t, i, n, at, tg, f, l, s
  FROM json_to_recordset($1::json) AS x(k text, p text, a text, r text, t text, i text, n text, at jsonb, tg jsonb, f text, l text, s timestamptz)
  ON CONFLICT (resource_key) DO UPDATE SET ${onConflict}`;

const UPSERT = upsert(UPDATED_ON_SIGHTING);
const RESTORE = upsert(`${UPDATED_ON_SIGHTING}, first_seen_job = excluded.first_seen_job`);

async function writeRows(sql: Sql, statement: string, rows: UpsertRow[]): Promise<void> {
  for (const json of jsonChunks(rows, (r) => `resource ${r.i}`)) await sql.query(statement, [json]);
}

/**
 * The rows a delivery upserts, one per key in key order. A resource seen twice in one delivery
 * keeps its first sighting's job as first_seen, as two upserts in a row would.
 */
export function upsertRowsOf(batches: ResourceBatch[], seenAt: string): UpsertRow[] {
  const rows = batches.flatMap((b) => b.resources.map((r) => rowOf(r, b.job_id, b.job_id, seenAt)));
  return uniqueByKey(rows, (r) => r.k, (earlier, later) => ({ ...later, f: earlier.f }));
}

export async function upsertRows(sql: Sql, rows: UpsertRow[]): Promise<void> {
  await writeRows(sql, UPSERT, rows);
}

export async function restoreResources(sql: Sql, stored: StoredResource[]): Promise<void> {
  const rows = stored.map((r) => rowOf(r, r.first_seen_job, r.last_seen_job, r.last_seen_at, r.resource_key));
  await writeRows(sql, RESTORE, uniqueByKey(rows, (r) => r.k, (_, later) => later));
}

/** Every resource a job discovered, in key order, in one query. */
export async function loadInventory(sql: Sql, jobId: string, account?: string): Promise<DiscoveredResource[]> {
  const { rows } = await sql.query<ResourceRow>(
    `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE last_seen_job = $1 AND ($2::text IS NULL OR account = $2) ORDER BY resource_key`,
    [jobId, account ?? null],
  );
  return rows.map((r) => discoveredOf(storedResourceOf(r)));
}

export async function listResources(sql: Sql, q: ResourceQuery): Promise<StoredResource[]> {
  const b = new Binds();
  const where = b.where([
    [q.provider, () => `provider = ${b.add(q.provider)}`],
    [q.account, () => `account = ${b.add(q.account)}`],
    [q.region, () => `region = ${b.add(q.region)}`],
    [q.type, () => `type = ${b.add(q.type)}`],
    [q.job_id, () => `last_seen_job = ${b.add(q.job_id)}`],
    [q.after, () => `resource_key > ${b.add(q.after)}`],
  ]);
  const { rows } = await sql.query<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources ${where} ORDER BY resource_key LIMIT ${b.add(q.limit)}`, b.values);
  return rows.map(storedResourceOf);
}

export async function pruneStaleResources(sql: Sql, before: string): Promise<number> {
  const result = await sql.query(`DELETE FROM resources WHERE last_seen_at < $1`, [before]);
  return result.rowCount ?? 0;
}

/** Replaces every count in one transaction (one round trip: a simple query of several statements). */
export async function refreshResourceCounts(sql: Sql): Promise<void> {
  await sql.query(
    `BEGIN;
     DELETE FROM resource_counts;
     INSERT INTO resource_counts (provider, account, region, type, count)
       SELECT provider, account, region, type, COUNT(*) FROM resources GROUP BY provider, account, region, type;
     COMMIT;`,
  );
}

export async function resourceCounts(sql: Sql): Promise<ResourceCount[]> {
  const { rows } = await sql.query<ResourceCount>(`SELECT provider, account, region, type, count FROM resource_counts ORDER BY provider, account, region, type`);
  return rows;
}
