import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { DriftAck } from '../../contract/drift.js';
import { ROWS_JSON_BYTES } from '../../contract/limits.js';
import type { DriftItem } from '../../engine/index.js';
import { driftAcks as acks, driftTracks as tracks } from '../../schema/d1.js';
import * as lifecycle from '../drift-lifecycle.js';
import { type AckState, ackOf, type LifecyclePlan, type TrackState, type TrackStore } from '../drift-lifecycle.js';
import { jsonGroups } from '../json-rows.js';
import { ackUpdate, openSeenBeforeWhere, openTrackWhere, resolvedWhere, trackUpdate, valueAs } from '../queries.js';
import { ackStateColumns, resolvedItemOf, trackStateColumns } from '../rows.js';
import type { DriftPart, DriftResolution, ResolvedDriftFilter, TrackCursor, TrackedDrift } from '../store.js';
import { D1_JSON, type D1Db, JSON_ROWS, jsonMember, jsonRowStatements, prepared, runInBatches } from './batching.js';

const ofAccount = (part: DriftResolution) =>
  and(eq(tracks.tenantId, part.tenant), eq(tracks.provider, part.provider), eq(tracks.account, part.account));

/** The tracks of these keys in a part's account, without their item bodies, a JSON group of keys a query. */
async function loadTracks(db: D1Db, part: DriftPart, keys: readonly string[]): Promise<TrackState[]> {
  const groups = jsonGroups(keys, ROWS_JSON_BYTES, (key) => `drift item ${key}`);
  const pages = await Promise.all(
    groups.map((group) =>
      db
        .select(trackStateColumns(tracks))
        .from(tracks)
        .where(and(ofAccount(part), inKeys(tracks.itemKey, group))),
    ),
  );
  return pages.flat();
}

async function openTracksSeenBefore(
  db: D1Db,
  part: DriftResolution,
  after: string,
  limit: number,
): Promise<TrackState[]> {
  return db
    .select(trackStateColumns(tracks))
    .from(tracks)
    .where(and(ofAccount(part), openSeenBeforeWhere(tracks, part.as_of), gt(tracks.itemKey, after)))
    .orderBy(asc(tracks.itemKey))
    .limit(limit);
}

async function resolve(db: D1Db, part: DriftResolution, keys: readonly string[]): Promise<void> {
  const resolved = { resolvedJob: part.job_id, resolvedAt: part.as_of };
  const groups = jsonGroups(keys, ROWS_JSON_BYTES, (key) => `drift item ${key}`);
  await runInBatches(
    db,
    groups.map((group) =>
      prepared(
        db,
        db
          .update(tracks)
          .set(resolved)
          .where(and(ofAccount(part), inKeys(tracks.itemKey, group))),
      ),
    ),
  );
}

async function countResolved(db: D1Db, part: DriftResolution): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(tracks)
    .where(and(ofAccount(part), eq(tracks.resolvedJob, part.job_id)))
    .get();
  return row?.n ?? 0;
}

/** A tenant's acknowledgements are given one at a time by people: all of them fit in memory. */
async function loadAcks(db: D1Db, tenant: string): Promise<AckState[]> {
  return db.select(ackStateColumns(acks)).from(acks).where(eq(acks.tenantId, tenant));
}

/** A JSON array of keys as the rows of an IN list. */
const inKeys = (column: typeof tracks.itemKey | typeof acks.resourceKey, group: string) =>
  sql`${column} IN (SELECT value FROM json_each(${group}))`;

/** Tracks written whole as JSON groups read with json_each, then resolutions and stale acknowledgements by key. */
async function applyPlan(db: D1Db, part: DriftPart, plan: LifecyclePlan): Promise<void> {
  const upsert = db
    .insert(tracks)
    .select((qb) =>
      qb
        .select({
          tenantId: valueAs(tracks.tenantId, part.tenant),
          provider: valueAs(tracks.provider, part.provider),
          account: valueAs(tracks.account, part.account),
          itemKey: jsonMember(tracks.itemKey, '$.k'),
          kind: jsonMember(tracks.kind, '$.kind'),
          tfType: jsonMember(tracks.tfType, '$.tt'),
          cloudType: jsonMember(tracks.cloudType, '$.ct'),
          region: jsonMember(tracks.region, '$.r'),
          firstSeenJob: jsonMember(tracks.firstSeenJob, '$.fj'),
          firstSeenAt: jsonMember(tracks.firstSeenAt, '$.fa'),
          lastSeenJob: jsonMember(tracks.lastSeenJob, '$.lj'),
          lastSeenAt: jsonMember(tracks.lastSeenAt, '$.la'),
          resolvedJob: sql<null>`null`.as('resolved_job'),
          resolvedAt: sql<null>`null`.as('resolved_at'),
          changeFingerprint: jsonMember(tracks.changeFingerprint, '$.fp'),
          item: jsonMember(tracks.item, '$.item', '->'),
        })
        .from(sql`json_each(${JSON_ROWS})`)
        // Without a WHERE, SQLite would read ON CONFLICT as a join constraint of the SELECT.
        .where(sql`true`),
    )
    .onConflictDoUpdate({
      target: [tracks.tenantId, tracks.provider, tracks.account, tracks.itemKey],
      set: trackUpdate(tracks),
    });
  const keyGroups = (keys: string[]) => jsonGroups(keys, ROWS_JSON_BYTES, (key) => `drift item ${key}`);
  const resolved = { resolvedJob: part.job_id, resolvedAt: part.as_of };
  await runInBatches(db, [
    ...jsonRowStatements(db, plan.writes, (row) => `drift item ${row.k}`, upsert),
    ...keyGroups(plan.resolve).map((group) =>
      prepared(
        db,
        db
          .update(tracks)
          .set(resolved)
          .where(and(ofAccount(part), inKeys(tracks.itemKey, group))),
      ),
    ),
    ...keyGroups(plan.staleAcks).map((group) =>
      prepared(db, db.delete(acks).where(and(eq(acks.tenantId, part.tenant), inKeys(acks.resourceKey, group)))),
    ),
  ]);
}

function trackStore(db: D1Db): TrackStore {
  return {
    loadTracks: (p, keys) => loadTracks(db, p, keys),
    loadAcks: (tenant) => loadAcks(db, tenant),
    applyPlan: (p, plan) => applyPlan(db, p, plan),
    openTracksSeenBefore: (p, after, limit) => openTracksSeenBefore(db, p, after, limit),
    resolve: (p, keys) => resolve(db, p, keys),
    countResolved: (p) => countResolved(db, p),
  };
}

export const trackDrift = (db: D1Db, part: DriftPart): Promise<TrackedDrift> =>
  lifecycle.trackDrift(trackStore(db), part);
export const fileDrift = (db: D1Db, part: DriftPart): Promise<TrackedDrift> =>
  lifecycle.fileDrift(trackStore(db), part);
export const resolveDrift = (db: D1Db, part: DriftResolution): Promise<number> =>
  lifecycle.resolveDrift(trackStore(db), part);

export async function listResolvedDrift(
  db: D1Db,
  filter: ResolvedDriftFilter,
  after: TrackCursor | undefined,
  limit: number,
): Promise<{ cursor: TrackCursor; item: DriftItem }[]> {
  const rows = await db
    .select({ item: tracks.item, itemKey: tracks.itemKey, provider: tracks.provider, account: tracks.account })
    .from(tracks)
    .where(resolvedWhere(tracks, filter, after, D1_JSON))
    .orderBy(asc(tracks.itemKey), asc(tracks.provider), asc(tracks.account))
    .limit(limit);
  return rows.map(resolvedItemOf);
}

export async function acknowledgeDrift(db: D1Db, tenant: string, ack: DriftAck): Promise<DriftAck | null> {
  const open = await db
    .select({ fingerprint: tracks.changeFingerprint })
    .from(tracks)
    .where(and(eq(tracks.tenantId, tenant), openTrackWhere(tracks, ack.resource_key)))
    .orderBy(desc(tracks.lastSeenAt))
    .limit(1)
    .get();
  if (!open) return null;
  const row: AckState = {
    resourceKey: ack.resource_key,
    reason: ack.reason,
    until: ack.until,
    changeFingerprint: open.fingerprint,
    createdAt: ack.at,
  };
  await db
    .insert(acks)
    .values({ tenantId: tenant, ...row })
    .onConflictDoUpdate({ target: [acks.tenantId, acks.resourceKey], set: ackUpdate(acks) });
  return ackOf(row);
}
