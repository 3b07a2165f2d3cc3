import {
  and,
  type Column,
  count,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Provider } from '../contract/resource.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import type * as d1 from '../schema/d1.js';
import type * as pg from '../schema/pg.js';
import { itemKeysOf } from './drift-lifecycle.js';
import type { DriftFilter, JobListQuery, ResolvedDriftFilter, ResourceQuery, TrackCursor } from './store.js';

/**
 * The query pieces both stores build alike. schema/d1.ts and schema/pg.ts declare the same
 * tables with the same column keys, so a condition written against either table renders
 * for its own dialect; the stores only differ in how they run statements.
 */
export type TableName = keyof typeof d1 & keyof typeof pg;
export type EitherTable<K extends TableName> = (typeof d1)[K] | (typeof pg)[K];
/** A row as either dialect reads it. */
export type RowOf<K extends TableName> = (typeof d1)[K]['$inferSelect'] | (typeof pg)[K]['$inferSelect'];
/** Values both dialects accept for an insert into K. */
export type InsertOf<K extends TableName> = (typeof d1)[K]['$inferInsert'] & (typeof pg)[K]['$inferInsert'];

/**
 * Columns of `t` under other names, as a select's fields; generic in the table, so each
 * dialect's select gets its own column types.
 */
export function columnsAs<T, M extends Record<string, keyof T>>(t: T, names: M): { [A in keyof M]: T[M[A]] } {
  return Object.fromEntries(Object.entries(names).map(([as, key]) => [as, t[key]])) as { [A in keyof M]: T[M[A]] };
}

/** The clause for a filter value, or none when the filter is not set (`and` skips it). */
export function ifSet<T>(value: T | undefined, clause: (value: T) => SQL): SQL | undefined {
  return value === undefined ? undefined : clause(value);
}

/** The value an upsert tried to insert into `column` (SQLite and Postgres spell it alike). */
export function excluded(column: Column): SQL {
  return sql`excluded.${sql.identifier(column.name)}`;
}

/** A bound value selected as `column`, in an insert that selects its other values from rows of JSON. */
export function valueAs<C extends Column>(column: C, value: C['_']['data']): SQL.Aliased<C['_']['data']> {
  return sql<C['_']['data']>`${value}`.as(column.name);
}

export function jobListWhere(t: EitherTable<'jobs'>, q: JobListQuery): SQL | undefined {
  return and(
    ifSet(q.status, (status) => eq(t.status, status)),
    ifSet(q.provider, (provider) => eq(t.provider, provider)),
    ifSet(q.tenant, (tenant) => eq(t.tenantId, tenant)),
    // A row comparison seeks the (created_at, job_id) index straight to the cursor.
    ifSet(q.after, ([createdAt, jobId]) => sql`(${t.createdAt}, ${t.jobId}) < (${createdAt}, ${jobId})`),
  );
}

export function resourceWhere(t: EitherTable<'resources'>, q: Omit<ResourceQuery, 'limit'>): SQL | undefined {
  return and(
    eq(t.tenantId, q.tenant),
    ifSet(q.provider, (provider) => eq(t.provider, provider)),
    ifSet(q.account, (account) => eq(t.account, account)),
    ifSet(q.region, (region) => eq(t.region, region)),
    ifSet(q.type, (type) => eq(t.type, type)),
    ifSet(q.job_id, (job) => eq(t.lastSeenJob, job)),
    ifSet(q.after, (key) => gt(t.resourceKey, key)),
  );
}

/** The tenant of a job's sightings: its job's (a sighting of no indexed job is the default tenant's). */
export function tenantOfSightings(j: EitherTable<'jobs'>, jobId: string): SQL<string> {
  return sql<string>`coalesce((select ${j.tenantId} from ${j} where ${j.jobId} = ${jobId}), ${DEFAULT_TENANT})`;
}

/** A job's sightings, filtered like the inventory (job_id picks the job). */
export function sightingWhere(
  t: EitherTable<'jobResources'>,
  jobId: string,
  q: Omit<ResourceQuery, 'limit' | 'job_id'>,
): SQL | undefined {
  return and(
    eq(t.jobId, jobId),
    ifSet(q.provider, (provider) => eq(t.provider, provider)),
    ifSet(q.account, (account) => eq(t.account, account)),
    ifSet(q.region, (region) => eq(t.region, region)),
    ifSet(q.type, (type) => eq(t.type, type)),
    ifSet(q.after, (key) => gt(t.resourceKey, key)),
  );
}

/** Inventory rows last seen by a job whose sighting of them is gone (merged and dropped). */
export function mergedSightingWhere(
  t: EitherTable<'resources'>,
  s: EitherTable<'jobResources'>,
  jobId: string,
  q: Omit<ResourceQuery, 'limit' | 'job_id'>,
): SQL | undefined {
  const sighted = sql`select 1 from ${s} where ${s.jobId} = ${jobId} and ${s.resourceKey} = ${t.resourceKey}`;
  return and(resourceWhere(t, { ...q, job_id: jobId }), sql`not exists (${sighted})`);
}

/** The sightings of one job in one account after `after`, up to and including `through` when set: one merge page. */
export function sightingPageWhere(
  t: EitherTable<'jobResources'>,
  jobId: string,
  account: string | undefined,
  after: string,
  through?: string,
): SQL | undefined {
  return and(
    eq(t.jobId, jobId),
    ifSet(account, (a) => eq(t.account, a)),
    gt(t.resourceKey, after),
    ifSet(through, (key) => lte(t.resourceKey, key)),
  );
}

/** A sighting merged into the inventory applies only to a row it is no older than. */
export function sightingIsNewer(t: EitherTable<'resources'>): SQL {
  return gte(excluded(t.lastSeenAt), t.lastSeenAt);
}

/** A job's sighting written again takes the latest details and time. */
export function resightingUpdate(t: EitherTable<'jobResources'>) {
  return {
    name: excluded(t.name),
    attributes: excluded(t.attributes),
    tags: excluded(t.tags),
    seenAt: excluded(t.seenAt),
    slot: excluded(t.slot),
  };
}

/** A resource seen again takes its new details and sighting; first_seen_job stays. */
export function sightingUpdate(t: EitherTable<'resources'>) {
  return {
    region: excluded(t.region),
    name: excluded(t.name),
    attributes: excluded(t.attributes),
    tags: excluded(t.tags),
    lastSeenJob: excluded(t.lastSeenJob),
    lastSeenAt: excluded(t.lastSeenAt),
  };
}

/** A restored row takes every sighting from the export, first_seen_job included. */
export function restoreUpdate(t: EitherTable<'resources'>) {
  return { ...sightingUpdate(t), firstSeenJob: excluded(t.firstSeenJob) };
}

/** How a dialect reads a member of a JSON column: as text (null when absent), or as a number. */
export interface JsonMembers {
  text(column: Column, key: string): SQL;
  number(column: Column, key: string): SQL;
}

export function driftWhere(
  t: EitherTable<'driftItems'>,
  f: DriftFilter,
  afterSeq: number,
  member: JsonMembers,
): SQL | undefined {
  return and(
    eq(t.jobId, f.job_id),
    gt(t.seq, afterSeq),
    ifSet(f.kind, (kind) => eq(t.kind, kind)),
    ifSet(f.severity, (severity) => eq(t.severity, severity)),
    ifSet(f.min_score, (score) => gte(t.score, score)),
    ifSet(f.tf_type, (tfType) => eq(t.tfType, tfType)),
    ifSet(f.account, (account) => eq(t.account, account)),
    ifSet(f.region, (region) => eq(t.region, region)),
    ifSet(f.status, (status) => eq(member.text(t.body, 'status'), status)),
    ifSet(f.acknowledged, (acked) => (acked ? isNotNull : isNull)(member.text(t.body, 'acknowledged'))),
  );
}

/** The tracks a job resolved, filtered like its items (severity and score from the last item), after a cursor. */
export function resolvedWhere(
  t: EitherTable<'driftTracks'>,
  f: ResolvedDriftFilter,
  after: TrackCursor | undefined,
  member: JsonMembers,
): SQL | undefined {
  return and(
    eq(t.resolvedJob, f.job_id),
    ifSet(f.kind, (kind) => eq(t.kind, kind)),
    ifSet(f.severity, (severity) => eq(member.text(t.item, 'severity'), severity)),
    ifSet(f.min_score, (score) => gte(member.number(t.item, 'score'), score)),
    ifSet(f.tf_type, (tfType) => eq(t.tfType, tfType)),
    ifSet(f.account, (account) => eq(t.account, account)),
    ifSet(f.region, (region) => eq(t.region, region)),
    ifSet(
      after,
      ([key, provider, account]) =>
        sql`(${t.itemKey}, ${t.provider}, ${t.account}) > (${key}, ${provider}, ${account})`,
    ),
  );
}

/** Open tracks of any kind whose item has this resource_key (or address): what an acknowledgement names. */
export function openTrackWhere(t: EitherTable<'driftTracks'>, resourceKey: string): SQL | undefined {
  return and(isNull(t.resolvedJob), inArray(t.itemKey, itemKeysOf(resourceKey)));
}

/** Open tracks last seen before `asOf`: a job started then that did not see them resolves those in its scopes. */
export function openSeenBeforeWhere(t: EitherTable<'driftTracks'>, asOf: string): SQL | undefined {
  return and(isNull(t.resolvedJob), lt(t.lastSeenAt, asOf));
}

/** Tracks of drift resolved before `before`: no analysis kept after then lists them. */
export function resolvedBeforeWhere(t: EitherTable<'driftTracks'>, before: string): SQL | undefined {
  return and(isNotNull(t.resolvedAt), lt(t.resolvedAt, before));
}

/** The columns a track's upsert rewrites: everything but its key, as the lifecycle planned it. */
export function trackUpdate(t: EitherTable<'driftTracks'>) {
  const columns = [
    'kind',
    'tfType',
    'cloudType',
    'region',
    'firstSeenJob',
    'firstSeenAt',
    'lastSeenJob',
    'lastSeenAt',
    'resolvedJob',
    'resolvedAt',
    'changeFingerprint',
    'item',
  ] as const;
  return Object.fromEntries(columns.map((c) => [c, excluded(t[c])])) as Record<(typeof columns)[number], SQL>;
}

/** An acknowledgement given again replaces the earlier one. */
export function ackUpdate(t: EitherTable<'driftAcks'>) {
  return {
    reason: excluded(t.reason),
    until: excluded(t.until),
    changeFingerprint: excluded(t.changeFingerprint),
    createdAt: excluded(t.createdAt),
  };
}

/** The seq span one part of a job's analysis owns, from `firstSeq`. */
export function driftPartWhere(
  t: EitherTable<'driftItems'>,
  jobId: string,
  firstSeq: number,
  span: number,
): SQL | undefined {
  return and(eq(t.jobId, jobId), gte(t.seq, firstSeq), lt(t.seq, firstSeq + span));
}

/** A job's analysis written again replaces its summary. */
export function analysisUpdate(t: EitherTable<'analyses'>) {
  return { summary: excluded(t.summary), duplicates: excluded(t.duplicates), completedAt: excluded(t.completedAt) };
}

export function analysesWindowWhere(
  t: EitherTable<'analyses'>,
  jobsTable: EitherTable<'jobs'>,
  since: string,
  until: string,
  provider?: Provider,
  tenant?: string,
): SQL | undefined {
  return and(
    gte(t.completedAt, since),
    lte(t.completedAt, until),
    ifSet(provider, (p) => eq(t.provider, p)),
    ifSet(tenant, (x) => jobOfTenant(t.jobId, jobsTable, x)),
  );
}

/** Rows of a tenant's jobs: an analysis belongs to the tenant of its job. */
export function jobOfTenant(jobId: Column, jobsTable: EitherTable<'jobs'>, tenant: string): SQL {
  return sql`${jobId} in (select ${jobsTable.jobId} from ${jobsTable} where ${jobsTable.tenantId} = ${tenant})`;
}

/** The active version of a workspace's state, which a new import supersedes. */
export function activeVersionWhere(
  t: EitherTable<'states'>,
  tenant: string,
  workspace: string,
  name: string,
): SQL | undefined {
  return and(eq(t.tenantId, tenant), eq(t.workspace, workspace), eq(t.name, name), eq(t.status, 'active'));
}

/** Instances of one account, plus those whose account the state does not tell. */
export function instanceAccountWhere(t: EitherTable<'stateInstances'>, account: string | undefined): SQL | undefined {
  return ifSet(account, (a) => or(isNull(t.account), eq(t.account, a.toLowerCase()))!);
}

/** States no reader needs again: superseded versions, and imports abandoned before `staleImport`. */
export function doomedStatesWhere(t: EitherTable<'states'>, staleImport: string): SQL | undefined {
  return or(eq(t.status, 'superseded'), and(eq(t.status, 'importing'), lt(t.importedAt, staleImport)));
}

/** Shards of the jobs selected not finished yet: the discovery backlog. */
export function openShardsSum(t: EitherTable<'jobs'>): SQL<number> {
  return sql`coalesce(sum(${t.shardsTotal} - ${t.shardsSucceeded} - ${t.shardsFailed} - ${t.shardsCancelled}), 0)`.mapWith(
    Number,
  );
}

/** Resources over the per-scope counts selected. */
export function resourceSum(t: EitherTable<'resourceCounts'>): SQL<number> {
  return sql`coalesce(sum(${t.count}), 0)`.mapWith(Number);
}

/** A deployment setting written again replaces its value. */
export function settingUpdate(t: EitherTable<'settings'>) {
  return { value: excluded(t.value), updatedAt: excluded(t.updatedAt) };
}

/** Resources per scope, the rows of resource_counts. */
/** Counts per scope summed over the rows a query keeps: one tenant's row, or every tenant's (metrics). */
export function summedCountColumns<T extends EitherTable<'resourceCounts'>>(t: T) {
  return {
    ...columnsAs(t, { provider: 'provider', account: 'account', region: 'region', type: 'type' }),
    count: sql<number>`sum(${t.count})`.mapWith(Number),
  };
}

export function scopeCountColumns<T extends EitherTable<'resources'>>(t: T) {
  return {
    ...columnsAs(t, { tenantId: 'tenantId', provider: 'provider', account: 'account', region: 'region', type: 'type' }),
    count: count().as('count'),
  };
}
