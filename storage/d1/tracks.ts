import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { DriftAck } from '../../contract/drift.js';
import { ROWS_JSON_BYTES } from '../../contract/limits.js';
import type { DriftItem } from '../../engine/index.js';
import { driftAcks as acks, driftTracks as tracks } from '../../schema/d1.js';
import {
  type AckState,
  ackOf,
  type LifecyclePlan,
  type TrackState,
  type TrackStore,
  trackDrift as track,
} from '../drift-lifecycle.js';
import { jsonGroups } from '../json-rows.js';
import { ackUpdate, openTrackWhere, resolvedWhere, trackUpdate, valueAs } from '../queries.js';
import { resolvedItemOf, trackStateColumns } from '../rows.js';
import type { DriftPart, ResolvedDriftFilter, TrackCursor, TrackedDrift } from '../store.js';
import { D1_JSON, type D1Db, JSON_ROWS, jsonMember, jsonRowStatements, prepared, runInBatches } from './batching.js';

const PAGE = 5000;

/** A part's account's tracks without their item bodies, in key order a page at a time. */
async function loadTracks(db: D1Db, part: DriftPart): Promise<TrackState[]> {
  const all: TrackState[] = [];
  for (let after = ''; ; ) {
    const page = await db
      .select(trackStateColumns(tracks))
      .from(tracks)
      .where(and(eq(tracks.provider, part.provider), eq(tracks.account, part.account), gt(tracks.itemKey, after)))
      .orderBy(asc(tracks.itemKey))
      .limit(PAGE);
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page.at(-1)!.itemKey;
  }
}

/** Acknowledgements are given one at a time by people: all of them fit in memory. */
async function loadAcks(db: D1Db): Promise<AckState[]> {
  return db.select().from(acks);
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
    .onConflictDoUpdate({ target: [tracks.provider, tracks.account, tracks.itemKey], set: trackUpdate(tracks) });
  const ofPart = and(eq(tracks.provider, part.provider), eq(tracks.account, part.account));
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
          .where(and(ofPart, inKeys(tracks.itemKey, group))),
      ),
    ),
    ...keyGroups(plan.staleAcks).map((group) => prepared(db, db.delete(acks).where(inKeys(acks.resourceKey, group)))),
  ]);
}

export function trackDrift(db: D1Db, part: DriftPart): Promise<TrackedDrift> {
  const store: TrackStore = {
    loadTracks: (p) => loadTracks(db, p),
    loadAcks: () => loadAcks(db),
    applyPlan: (p, plan) => applyPlan(db, p, plan),
  };
  return track(store, part);
}

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

export async function acknowledgeDrift(db: D1Db, ack: DriftAck): Promise<DriftAck | null> {
  const open = await db
    .select({ fingerprint: tracks.changeFingerprint })
    .from(tracks)
    .where(openTrackWhere(tracks, ack.resource_key))
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
    .values(row)
    .onConflictDoUpdate({ target: acks.resourceKey, set: ackUpdate(acks) });
  return ackOf(row);
}
