import { and, asc, count, eq, exists, gt, inArray, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceSlot } from '../../engine/index.js';
import { resourceCounts as counts, jobs, resources, jobResources as sightings } from '../../schema/pg.js';
import {
  ifSet,
  mergedSightingWhere,
  resightingUpdate,
  resourceWhere,
  restoreUpdate,
  scopeCountColumns,
  sightingIsNewer,
  sightingPageWhere,
  sightingUpdate,
  sightingWhere,
  summedCountColumns,
  tenantOfSightings,
  valueAs,
} from '../queries.js';
import {
  discoveredColumns,
  firstByKey,
  resourceOfSighting,
  restoredRows,
  type SightingRow,
  sightingColumns,
  sightingRows,
  storedColumns,
  withoutNullName,
} from '../rows.js';
import { PG_IN_INTEGERS, partSightingsWhere, SCAN_PAGE, slotGroups, slotTest, slotWhere, unslotted } from '../slots.js';
import type {
  InventoryFilter,
  ResourceBatch,
  ResourceCount,
  ResourceQuery,
  SightingSlots,
  SlotBucketCount,
  SlotRange,
  StoredResource,
} from '../store.js';
import { jsonChunks, recordField, uniqueByKey } from './bulk.js';
import type { PgDb } from './connection.js';

/** Rows a merge or delete statement takes at a time. */
const PAGE = 5000;

/**
 * The sightings a delivery writes, one per job and key in that order. A resource seen twice
 * by one job in one delivery keeps the later sighting, as two upserts in a row would.
 */
export function sightingRowsOf(batches: ResourceBatch[], seenAt: string): SightingRow[] {
  return uniqueByKey(
    sightingRows(batches, seenAt),
    (r) => `${r.j}\u0000${r.k}`,
    (_, later) => later,
  );
}

/** The ingest path: a delivery's sightings as one JSON parameter read with json_to_recordset, far faster than bound values. */
export async function upsertSightings(db: PgDb, rows: SightingRow[]): Promise<void> {
  for (const json of jsonChunks(rows, (r) => `resource ${r.i}`)) {
    await db
      .insert(sightings)
      .select((qb) =>
        qb
          .select({
            jobId: recordField(sightings.jobId, 'j'),
            resourceKey: recordField(sightings.resourceKey, 'k'),
            provider: recordField(sightings.provider, 'p'),
            account: recordField(sightings.account, 'a'),
            region: recordField(sightings.region, 'r'),
            type: recordField(sightings.type, 't'),
            resourceId: recordField(sightings.resourceId, 'i'),
            name: recordField(sightings.name, 'n'),
            attributes: recordField(sightings.attributes, 'at'),
            tags: recordField(sightings.tags, 'tg'),
            seenAt: recordField(sightings.seenAt, 's'),
            slot: recordField(sightings.slot, 'sl'),
          })
          .from(
            sql`json_to_recordset(${json}::json) AS x(j text, k text, p text, a text, r text, t text, i text, n text, at jsonb, tg jsonb, s timestamptz, sl int)`,
          ),
      )
      .onConflictDoUpdate({ target: [sightings.jobId, sightings.resourceKey], set: resightingUpdate(sightings) });
  }
}

/** Exported rows as JSON read with json_to_recordset, their sightings as exported. */
export async function restoreResources(db: PgDb, tenant: string, stored: StoredResource[]): Promise<void> {
  const rows = uniqueByKey(
    restoredRows(stored),
    (r) => r.k,
    (_, later) => later,
  );
  for (const json of jsonChunks(rows, (r) => `resource ${r.i}`)) {
    await db
      .insert(resources)
      .select((qb) =>
        qb
          .select({
            tenantId: valueAs(resources.tenantId, tenant),
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
          .from(
            sql`json_to_recordset(${json}::json) AS x(k text, p text, a text, r text, t text, i text, n text, at jsonb, tg jsonb, f text, l text, s timestamptz)`,
          ),
      )
      .onConflictDoUpdate({ target: [resources.tenantId, resources.resourceKey], set: restoreUpdate(resources) });
  }
}

/** Sightings of none of these types. */
const notInTypes = (types: readonly string[]) => notInArray(sightings.type, [...types]);

/** Where a page of sightings in (slot, key) order ends. */
type SlotKey = [slot: number, key: string];

/** Rows after (slot, key) in (slot, key) order. */
const slotKeyAfter = ([slot, key]: SlotKey) => sql`(${sightings.slot}, ${sightings.resourceKey}) > (${slot}, ${key})`;
const slotKeyThrough = ([slot, key]: SlotKey) =>
  sql`(${sightings.slot}, ${sightings.resourceKey}) <= (${slot}, ${key})`;

/**
 * What a job saw in an account, from its sightings a page at a time: in key order, or with
 * `filter.slots` rows written before slots first, then each group of slots in (slot, key) order.
 */
export async function scanInventory(
  db: PgDb,
  jobId: string,
  account: string,
  filter: InventoryFilter,
  visit: (page: DiscoveredResource[]) => void,
): Promise<void> {
  const ofTypes = ifSet(filter.types, (types) => inArray(sightings.type, [...types]));
  const columns = { key: sightings.resourceKey, slot: sightings.slot, ...sightingColumns(sightings) };
  const scope = and(eq(sightings.jobId, jobId), eq(sightings.account, account), ofTypes);
  const keyed = filter.slots ? and(scope, unslotted(sightings.slot)) : scope;
  const holds = filter.slots ? slotTest(filter.slots) : () => true;
  for (let after = ''; ; ) {
    const page = await db
      .select(columns)
      .from(sightings)
      .where(and(keyed, gt(sightings.resourceKey, after)))
      .orderBy(asc(sightings.resourceKey))
      .limit(SCAN_PAGE);
    visit(page.map(resourceOfSighting).filter((r) => holds(resourceSlot(r))));
    if (page.length < SCAN_PAGE) break;
    after = page.at(-1)!.key;
  }
  for (const group of filter.slots ? slotGroups(filter.slots) : []) {
    for (let after: [number, string] = [-1, '']; ; ) {
      const page = await db
        .select(columns)
        .from(sightings)
        .where(and(scope, slotWhere(sightings.slot, group, PG_IN_INTEGERS), slotKeyAfter(after)))
        .orderBy(asc(sightings.slot), asc(sightings.resourceKey))
        .limit(SCAN_PAGE);
      visit(page.map(resourceOfSighting));
      if (page.length < SCAN_PAGE) break;
      const last = page.at(-1)!;
      after = [last.slot!, last.key];
    }
  }
}

export async function loadInventory(
  db: PgDb,
  jobId: string,
  account: string,
  filter: InventoryFilter = {},
): Promise<DiscoveredResource[]> {
  const all: DiscoveredResource[] = [];
  await scanInventory(db, jobId, account, filter, (page) => all.push(...page));
  return all;
}

export async function sightingsPerBucket(
  db: PgDb,
  jobId: string,
  account: string,
  shift: number,
): Promise<SlotBucketCount[]> {
  const bucket = sql<number | null>`${sightings.slot} >> ${sql.raw(String(shift))}`;
  return db
    .select({ bucket: bucket.as('bucket'), n: count() })
    .from(sightings)
    .where(and(eq(sightings.jobId, jobId), eq(sightings.account, account)))
    .groupBy(bucket);
}

export async function listResources(db: PgDb, q: ResourceQuery): Promise<StoredResource[]> {
  if (q.job_id !== undefined) return listJobResources(db, q.job_id, q);
  const rows = await db
    .select(storedColumns(resources))
    .from(resources)
    .where(resourceWhere(resources, q))
    .orderBy(asc(resources.resourceKey))
    .limit(q.limit);
  return rows.map(withoutNullName);
}

/** A job's sightings (first seen as the inventory knows, else by the job), and its merged rows whose sightings are gone. */
async function listJobResources(db: PgDb, jobId: string, q: ResourceQuery): Promise<StoredResource[]> {
  const sighted = await db
    .select({
      ...sightingColumns(sightings),
      resource_key: sightings.resourceKey,
      first_seen_job: sql<string>`coalesce(${resources.firstSeenJob}, ${sightings.jobId})`,
      last_seen_job: sightings.jobId,
      last_seen_at: sightings.seenAt,
    })
    .from(sightings)
    .leftJoin(resources, and(eq(resources.tenantId, q.tenant), eq(resources.resourceKey, sightings.resourceKey)))
    .where(and(sightingWhere(sightings, jobId, q), eq(tenantOfSightings(jobs, jobId), q.tenant)))
    .orderBy(asc(sightings.resourceKey))
    .limit(q.limit);
  const merged = await db
    .select(storedColumns(resources))
    .from(resources)
    .where(mergedSightingWhere(resources, sightings, jobId, q))
    .orderBy(asc(resources.resourceKey))
    .limit(q.limit);
  return firstByKey(sighted, merged, q.limit).map(withoutNullName);
}

export async function resourcesByKey(db: PgDb, tenant: string, keys: readonly string[]): Promise<DiscoveredResource[]> {
  const found: DiscoveredResource[] = [];
  for (const json of jsonChunks(keys, (key) => `resource key ${key}`)) {
    const rows = await db
      .select(discoveredColumns(resources))
      .from(resources)
      .where(
        and(
          eq(resources.tenantId, tenant),
          sql`${resources.resourceKey} IN (SELECT json_array_elements_text(${json}::json))`,
        ),
      )
      .orderBy(asc(resources.resourceKey));
    found.push(...rows.map(withoutNullName));
  }
  return found;
}

/** The last key of the page of a job's sightings after `after`, or undefined when fewer than a page are left. */
async function pageEnd(
  db: PgDb,
  jobId: string,
  account: string | undefined,
  after: string,
  only?: SQL,
): Promise<string | undefined> {
  const [row] = await db
    .select({ key: sightings.resourceKey })
    .from(sightings)
    .where(and(sightingPageWhere(sightings, jobId, account, after), only))
    .orderBy(asc(sightings.resourceKey))
    .limit(1)
    .offset(PAGE - 1);
  return row?.key;
}

/** Merges the sightings `where` selects into the inventory, in one statement. */
async function mergeWhere(db: PgDb, jobId: string, where: SQL | undefined): Promise<void> {
  await db
    .insert(resources)
    .select((qb) =>
      qb
        .select({
          tenantId: tenantOfSightings(jobs, jobId).as('tenant_id'),
          resourceKey: sightings.resourceKey,
          provider: sightings.provider,
          account: sightings.account,
          region: sightings.region,
          type: sightings.type,
          resourceId: sightings.resourceId,
          name: sightings.name,
          attributes: sightings.attributes,
          tags: sightings.tags,
          firstSeenJob: valueAs(resources.firstSeenJob, jobId),
          lastSeenJob: valueAs(resources.lastSeenJob, jobId),
          lastSeenAt: sightings.seenAt,
        })
        .from(sightings)
        .where(where)
        // Rows locked in key order, as every writer of the inventory locks them: no deadlock.
        .orderBy(asc(sightings.resourceKey)),
    )
    .onConflictDoUpdate({
      target: [resources.tenantId, resources.resourceKey],
      set: sightingUpdate(resources),
      setWhere: sightingIsNewer(resources),
    });
}

/** The last (slot, key) of the page of a part's sightings after `after`, or undefined when fewer than a page are left. */
async function slotPageEnd(
  db: PgDb,
  jobId: string,
  account: string | undefined,
  slots: SlotRange,
  after: SlotKey,
  only: SQL | undefined,
): Promise<SlotKey | undefined> {
  const [row] = await db
    .select({ slot: sightings.slot, key: sightings.resourceKey })
    .from(sightings)
    .where(and(partSightingsWhere(sightings, jobId, account, slots, PG_IN_INTEGERS), slotKeyAfter(after), only))
    .orderBy(asc(sightings.slot), asc(sightings.resourceKey))
    .limit(1)
    .offset(PAGE - 1);
  return row && [row.slot!, row.key];
}

/** Writes a part's sightings (those `only` selects) a page at a time in (slot, key) order, however many its range holds. */
async function forEachSlotPage(
  db: PgDb,
  jobId: string,
  account: string | undefined,
  slots: SlotRange,
  write: (where: SQL | undefined) => Promise<unknown>,
  only?: SQL,
): Promise<void> {
  for (let after: SlotKey = [-1, '']; ; ) {
    const end = await slotPageEnd(db, jobId, account, slots, after, only);
    const page = and(slotKeyAfter(after), end && slotKeyThrough(end), only);
    await write(and(partSightingsWhere(sightings, jobId, account, slots, PG_IN_INTEGERS), page));
    if (end === undefined) return;
    after = end;
  }
}

/**
 * A job's sightings of an account, or of one part's range, or those written before slots, a
 * page at a time.
 */
export async function mergeSightings(db: PgDb, jobId: string, account: string, slots?: SightingSlots): Promise<void> {
  if (typeof slots === 'object') {
    return forEachSlotPage(db, jobId, account, slots, (where) => mergeWhere(db, jobId, where));
  }
  const only = slots && unslotted(sightings.slot);
  for (let after = ''; ; ) {
    const end = await pageEnd(db, jobId, account, after, only);
    await mergeWhere(db, jobId, and(sightingPageWhere(sightings, jobId, account, after, end), only));
    if (end === undefined) return;
    after = end;
  }
}

export async function dropSightings(
  db: PgDb,
  jobId: string,
  account?: string,
  slots?: SightingSlots,
  keepTypes: readonly string[] = [],
): Promise<void> {
  if (typeof slots === 'object') {
    const kept = keepTypes.length > 0 ? notInTypes(keepTypes) : undefined;
    return forEachSlotPage(db, jobId, account, slots, (where) => db.delete(sightings).where(where), kept);
  }
  const only = slots && unslotted(sightings.slot);
  for (let after = ''; ; ) {
    const end = await pageEnd(db, jobId, account, after, only);
    await db.delete(sightings).where(and(sightingPageWhere(sightings, jobId, account, after, end), only));
    if (end === undefined) return;
    after = end;
  }
}

export async function pruneSightings(db: PgDb, before: string): Promise<number> {
  const stale = await db
    .select({ jobId: jobs.jobId })
    .from(jobs)
    .where(
      and(
        lt(jobs.finishedAt, before),
        exists(db.select({ one: sql`1` }).from(sightings).where(eq(sightings.jobId, jobs.jobId))),
      ),
    );
  for (const { jobId } of stale) await dropSightings(db, jobId);
  return stale.length;
}

export async function pruneStaleResources(db: PgDb, before: string): Promise<number> {
  const result = await db.delete(resources).where(lt(resources.lastSeenAt, before));
  return result.rowCount ?? 0;
}

/** Replaces every count in one transaction. */
export async function refreshResourceCounts(db: PgDb): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(counts);
    await tx
      .insert(counts)
      .select((qb) =>
        qb
          .select(scopeCountColumns(resources))
          .from(resources)
          .groupBy(resources.tenantId, resources.provider, resources.account, resources.region, resources.type),
      );
  });
}

export async function resourceCounts(db: PgDb, tenant?: string): Promise<ResourceCount[]> {
  return db
    .select(summedCountColumns(counts))
    .from(counts)
    .where(ifSet(tenant, (t) => eq(counts.tenantId, t)))
    .groupBy(counts.provider, counts.account, counts.region, counts.type)
    .orderBy(asc(counts.provider), asc(counts.account), asc(counts.region), asc(counts.type));
}
