import type { DriftAck, DriftKind, DriftStatus } from '../contract/drift.js';
import { coverageCheck, type DriftItem } from '../engine/index.js';
import type { DriftPart, DriftResolution, TrackedDrift } from './store.js';

/**
 * The life of drift across the analyses of one account, decided here for both stores: the
 * stores load what a part needs (its account's tracks without their item bodies, the live
 * acknowledgements), this plans every write, and the stores apply the plan in bulk.
 */

/** What the lifecycle reads of a track: everything but its item body. */
export interface TrackState {
  itemKey: string;
  cloudType: string;
  region: string | null;
  firstSeenJob: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedJob: string | null;
  resolvedAt: string | null;
}

export interface AckState {
  resourceKey: string;
  reason: string;
  until: string | null;
  changeFingerprint: string;
  createdAt: string;
}

/**
 * A track as bulk writes carry it in their one JSON parameter: the item reported now, open, last
 * seen by the part's job (kind, types, first and last sightings, fingerprint, item body).
 */
export interface TrackRow {
  k: string;
  kind: DriftKind;
  tt: string;
  ct: string;
  r: string | null;
  fj: string;
  fa: string;
  lj: string;
  la: string;
  fp: string;
  item: DriftItem;
}

export interface LifecyclePlan extends TrackedDrift {
  /** Tracks to write whole, one per item key. */
  writes: TrackRow[];
  /** Item keys of open tracks this part resolves. */
  resolve: string[];
  /** Acknowledgements that no longer apply to the item they name (its changes differ, or `until` passed). */
  staleAcks: string[];
}

/** What an acknowledgement names an item by: its resource_key, or its address when it has none (missing). */
export function ackKeyOf(item: DriftItem): string {
  return item.resource_key ?? item.address;
}

/** The key of an item's track within its provider account. */
export function itemKeyOf(item: DriftItem): string {
  return `${item.kind}:${ackKeyOf(item)}`;
}

/** The track keys an acknowledgement of `resourceKey` may name, one per kind. */
export function itemKeysOf(resourceKey: string): string[] {
  return (['changed', 'missing', 'unmanaged'] satisfies DriftKind[]).map((kind) => `${kind}:${resourceKey}`);
}

/** Plain objects with their keys sorted, so equal changes always serialise alike. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** SHA-256 of an item's kind and changes: an acknowledgement lasts as long as this stays the same. */
export async function changeFingerprint(item: Pick<DriftItem, 'kind' | 'changes'>): Promise<string> {
  const text = JSON.stringify({ kind: item.kind, changes: item.changes }, sortedKeys);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const before = (a: string, b: string) => Date.parse(a) < Date.parse(b);

/** A reported item's first sighting, and whether it is the track's latest news. */
interface Sighting {
  firstJob: string;
  firstAt: string;
  latest: boolean;
}

/**
 * Where a reported item's track goes. Jobs of one account may overlap, so a job's sighting is
 * placed by when the job started: an item resolved by a job that started earlier is back (new
 * again); one a later job saw, or resolved, is older news the track keeps as it is.
 */
function sightingOf(part: DriftPart, track: TrackState | undefined): Sighting {
  const fresh = { firstJob: part.job_id, firstAt: part.as_of, latest: true };
  if (!track) return fresh;
  const kept = { firstJob: track.firstSeenJob, firstAt: track.firstSeenAt };
  if (track.resolvedJob !== null && track.resolvedJob !== part.job_id) {
    return before(track.resolvedAt!, part.as_of) ? fresh : { ...kept, latest: false };
  }
  // Open, or resolved by an earlier run of this very part: the job's item reopens it.
  return { ...kept, latest: !before(part.as_of, track.lastSeenAt) };
}

/** The acknowledgement that silences an item now, if any. */
function liveAck(ack: AckState | undefined, fingerprint: string, now: string): AckState | undefined {
  if (!ack || ack.changeFingerprint !== fingerprint) return undefined;
  return ack.until === null || before(now, ack.until) ? ack : undefined;
}

/** Open tracks the part did not report that its job resolves: last seen before it started, where it fully looked. */
function resolvable(part: DriftResolution, tracks: readonly TrackState[], reported: ReadonlySet<string>): TrackState[] {
  if (!part.resolves) return [];
  const covered = coverageCheck(part.scopes);
  return tracks.filter(
    (t) =>
      t.resolvedJob === null &&
      !reported.has(t.itemKey) &&
      before(t.lastSeenAt, part.as_of) &&
      covered(part.provider, t.cloudType, part.account, t.region ?? undefined),
  );
}

/**
 * Plans one part: every item's status and first sighting, the tracks to write and resolve, and
 * the counts for its summary. The plan depends only on the tracks and acknowledgements as the
 * part found them, so a part run again after its plan was applied gets the same items and counts.
 */
export function planLifecycle(
  part: DriftPart,
  tracks: readonly TrackState[],
  acks: ReadonlyMap<string, AckState>,
  fingerprints: readonly string[],
): LifecyclePlan {
  const byKey = new Map(tracks.map((t) => [t.itemKey, t]));
  const writes = new Map<string, TrackRow>();
  const staleAcks = new Set<string>();
  const counts = { new: 0, resolved: 0, acknowledged: 0 };
  const items = part.items.map((item, i) => {
    const key = itemKeyOf(item);
    const fingerprint = fingerprints[i]!;
    const { firstJob, firstAt, latest } = sightingOf(part, byKey.get(key));
    const status: DriftStatus = firstJob === part.job_id ? 'new' : 'ongoing';
    const ack = liveAck(acks.get(ackKeyOf(item)), fingerprint, part.now);
    if (!ack && acks.has(ackKeyOf(item))) staleAcks.add(ackKeyOf(item));
    if (ack) counts.acknowledged++;
    else if (status === 'new') counts.new++;
    const tracked: DriftItem = {
      ...item,
      first_seen_at: firstAt,
      first_seen_job: firstJob,
      status,
      ...(ack ? { acknowledged: { reason: ack.reason, until: ack.until, at: ack.createdAt } } : {}),
    };
    if (latest) {
      const row = {
        k: key,
        kind: item.kind,
        tt: item.tf_type,
        ct: item.cloud_type,
        r: item.region ?? null,
        fj: firstJob,
        fa: firstAt,
        lj: part.job_id,
        la: part.as_of,
        fp: fingerprint,
        item: tracked,
      };
      writes.set(key, row);
    }
    return tracked;
  });
  const reported = new Set(part.items.map(itemKeyOf));
  const resolve = resolvable(part, tracks, reported).map((t) => t.itemKey);
  const resolvedBefore = tracks.filter((t) => t.resolvedJob === part.job_id && !reported.has(t.itemKey)).length;
  counts.resolved = resolve.length + resolvedBefore;
  return { items, counts, writes: [...writes.values()], resolve, staleAcks: [...staleAcks] };
}

/** What a store does for the lifecycle: read tracks and acknowledgements, apply a plan, resolve tracks. */
export interface TrackStore {
  /** The tracks of these item keys in the part's provider account. */
  loadTracks(part: DriftPart, keys: readonly string[]): Promise<TrackState[]>;
  /** The acknowledgements of a tenant's items. */
  loadAcks(tenant: string): Promise<AckState[]>;
  applyPlan(part: DriftPart, plan: LifecyclePlan): Promise<void>;
  /** Up to `limit` open tracks of the account last seen before the job started, in key order after `after`. */
  openTracksSeenBefore(part: DriftResolution, after: string, limit: number): Promise<TrackState[]>;
  resolve(part: DriftResolution, keys: readonly string[]): Promise<void>;
  /** How many of the account's tracks the job resolved. */
  countResolved(part: DriftResolution): Promise<number>;
}

/** Open tracks a resolution reads at a time. */
const RESOLVE_PAGE = 5000;

/**
 * Files one part's items. Only their own tracks are read: whatever the account's size, a part
 * holds what it reported. Resolving waits for every part of the account (resolveDrift).
 */
export async function fileDrift(store: TrackStore, part: DriftPart): Promise<TrackedDrift> {
  const [tracks, acks, fingerprints] = await Promise.all([
    store.loadTracks(part, [...new Set(part.items.map(itemKeyOf))]),
    store.loadAcks(part.tenant),
    Promise.all(part.items.map(changeFingerprint)),
  ]);
  const plan = planLifecycle(
    { ...part, resolves: false },
    tracks,
    new Map(acks.map((a) => [a.resourceKey, a])),
    fingerprints,
  );
  await store.applyPlan(part, plan);
  return { items: plan.items, counts: plan.counts };
}

/**
 * Resolves, a page at a time, the open tracks of an account its job did not see: filed parts
 * left every track they reported last seen at the job's start or later, so what is still last
 * seen before it went unreported. Returns the job's resolved tracks, this run's and earlier ones.
 */
export async function resolveDrift(store: TrackStore, part: DriftResolution): Promise<number> {
  for (let after = ''; part.resolves; ) {
    const page = await store.openTracksSeenBefore(part, after, RESOLVE_PAGE);
    const gone = resolvable(part, page, new Set()).map((t) => t.itemKey);
    if (gone.length > 0) await store.resolve(part, gone);
    if (page.length < RESOLVE_PAGE) break;
    after = page.at(-1)!.itemKey;
  }
  return store.countResolved(part);
}

export async function trackDrift(store: TrackStore, part: DriftPart): Promise<TrackedDrift> {
  const filed = await fileDrift(store, part);
  return { items: filed.items, counts: { ...filed.counts, resolved: await resolveDrift(store, part) } };
}

/** An acknowledgement as the API answers it. */
export function ackOf(a: AckState): DriftAck {
  return { resource_key: a.resourceKey, reason: a.reason, until: a.until, at: a.createdAt };
}
