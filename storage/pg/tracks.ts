import { and, asc, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { DriftAck } from '../../contract/drift.js';
import type { DriftItem } from '../../engine/index.js';
import { driftAcks as acks, driftTracks as tracks } from '../../schema/pg.js';
import * as lifecycle from '../drift-lifecycle.js';
import { type AckState, ackOf, type LifecyclePlan, type TrackState, type TrackStore } from '../drift-lifecycle.js';
import { ackUpdate, openSeenBeforeWhere, openTrackWhere, resolvedWhere, trackUpdate, valueAs } from '../queries.js';
import { ackStateColumns, resolvedItemOf, trackStateColumns } from '../rows.js';
import type { DriftPart, DriftResolution, ResolvedDriftFilter, TrackCursor, TrackedDrift } from '../store.js';
import { jsonChunks, PG_JSON, recordField } from './bulk.js';
import type { PgDb } from './connection.js';

const ofAccount = (part: DriftResolution) =>
  and(eq(tracks.tenantId, part.tenant), eq(tracks.provider, part.provider), eq(tracks.account, part.account));

/** The tracks of these keys in a part's account, without their item bodies. */
async function loadTracks(db: PgDb, part: DriftPart, keys: readonly string[]): Promise<TrackState[]> {
  const found: TrackState[] = [];
  for (const json of jsonChunks(keys, (key) => `drift item ${key}`)) {
    found.push(
      ...(await db
        .select(trackStateColumns(tracks))
        .from(tracks)
        .where(and(ofAccount(part), inKeys(tracks.itemKey, json)))),
    );
  }
  return found;
}

async function openTracksSeenBefore(
  db: PgDb,
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

async function resolve(db: PgDb, part: DriftResolution, keys: readonly string[]): Promise<void> {
  for (const json of jsonChunks(keys, (key) => `drift item ${key}`)) {
    await db
      .update(tracks)
      .set({ resolvedJob: part.job_id, resolvedAt: part.as_of })
      .where(and(ofAccount(part), inKeys(tracks.itemKey, json)));
  }
}

async function countResolved(db: PgDb, part: DriftResolution): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(tracks)
    .where(and(ofAccount(part), eq(tracks.resolvedJob, part.job_id)));
  return row?.n ?? 0;
}

/** A tenant's acknowledgements are given one at a time by people: all of them fit in memory. */
async function loadAcks(db: PgDb, tenant: string): Promise<AckState[]> {
  return db.select(ackStateColumns(acks)).from(acks).where(eq(acks.tenantId, tenant));
}

/** A JSON array of keys as the rows of an IN list. */
const inKeys = (column: typeof tracks.itemKey | typeof acks.resourceKey, json: string) =>
  sql`${column} IN (SELECT json_array_elements_text(${json}::json))`;

/** The whole plan in one transaction: tracks written whole from JSON read with json_to_recordset, then resolutions and stale acknowledgements by key. */
async function applyPlan(db: PgDb, part: DriftPart, plan: LifecyclePlan): Promise<void> {
  const keyChunks = (keys: string[]) => jsonChunks(keys, (key) => `drift item ${key}`);
  await db.transaction(async (tx) => {
    for (const json of jsonChunks(plan.writes, (row) => `drift item ${row.k}`)) {
      await tx
        .insert(tracks)
        .select((qb) =>
          qb
            .select({
              tenantId: valueAs(tracks.tenantId, part.tenant),
              provider: valueAs(tracks.provider, part.provider),
              account: valueAs(tracks.account, part.account),
              itemKey: recordField(tracks.itemKey, 'k'),
              kind: recordField(tracks.kind, 'kind'),
              tfType: recordField(tracks.tfType, 'tt'),
              cloudType: recordField(tracks.cloudType, 'ct'),
              region: recordField(tracks.region, 'r'),
              firstSeenJob: recordField(tracks.firstSeenJob, 'fj'),
              firstSeenAt: recordField(tracks.firstSeenAt, 'fa'),
              lastSeenJob: recordField(tracks.lastSeenJob, 'lj'),
              lastSeenAt: recordField(tracks.lastSeenAt, 'la'),
              resolvedJob: sql<null>`null::text`.as('resolved_job'),
              resolvedAt: sql<null>`null::timestamptz`.as('resolved_at'),
              changeFingerprint: recordField(tracks.changeFingerprint, 'fp'),
              item: recordField(tracks.item, 'item'),
            })
            .from(
              sql`json_to_recordset(${json}::json) AS x(k text, kind text, tt text, ct text, r text, fj text, fa timestamptz, lj text, la timestamptz, fp text, item jsonb)`,
            ),
        )
        .onConflictDoUpdate({
          target: [tracks.tenantId, tracks.provider, tracks.account, tracks.itemKey],
          set: trackUpdate(tracks),
        });
    }
    for (const json of keyChunks(plan.resolve)) {
      await tx
        .update(tracks)
        .set({ resolvedJob: part.job_id, resolvedAt: part.as_of })
        .where(and(ofAccount(part), inKeys(tracks.itemKey, json)));
    }
    for (const json of keyChunks(plan.staleAcks)) {
      await tx.delete(acks).where(and(eq(acks.tenantId, part.tenant), inKeys(acks.resourceKey, json)));
    }
  });
}

function trackStore(db: PgDb): TrackStore {
  return {
    loadTracks: (p, keys) => loadTracks(db, p, keys),
    loadAcks: (tenant) => loadAcks(db, tenant),
    applyPlan: (p, plan) => applyPlan(db, p, plan),
    openTracksSeenBefore: (p, after, limit) => openTracksSeenBefore(db, p, after, limit),
    resolve: (p, keys) => resolve(db, p, keys),
    countResolved: (p) => countResolved(db, p),
  };
}

export const trackDrift = (db: PgDb, part: DriftPart): Promise<TrackedDrift> =>
  lifecycle.trackDrift(trackStore(db), part);
export const fileDrift = (db: PgDb, part: DriftPart): Promise<TrackedDrift> =>
  lifecycle.fileDrift(trackStore(db), part);
export const resolveDrift = (db: PgDb, part: DriftResolution): Promise<number> =>
  lifecycle.resolveDrift(trackStore(db), part);

export async function listResolvedDrift(
  db: PgDb,
  filter: ResolvedDriftFilter,
  after: TrackCursor | undefined,
  limit: number,
): Promise<{ cursor: TrackCursor; item: DriftItem }[]> {
  const rows = await db
    .select({ item: tracks.item, itemKey: tracks.itemKey, provider: tracks.provider, account: tracks.account })
    .from(tracks)
    .where(resolvedWhere(tracks, filter, after, PG_JSON))
    .orderBy(asc(tracks.itemKey), asc(tracks.provider), asc(tracks.account))
    .limit(limit);
  return rows.map(resolvedItemOf);
}

export async function acknowledgeDrift(db: PgDb, tenant: string, ack: DriftAck): Promise<DriftAck | null> {
  const [open] = await db
    .select({ fingerprint: tracks.changeFingerprint })
    .from(tracks)
    .where(and(eq(tracks.tenantId, tenant), openTrackWhere(tracks, ack.resource_key)))
    .orderBy(desc(tracks.lastSeenAt))
    .limit(1);
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
