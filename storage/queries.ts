import { and, count, eq, gt, gte, isNull, lt, lte, or, sql, type Column, type SQL } from 'drizzle-orm';
import type * as d1 from '../schema/d1.js';
import type * as pg from '../schema/pg.js';
import type { Provider } from '../contract/resource.js';
import type { DriftFilter, JobListQuery, ResourceQuery } from './store.js';

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
    // A row comparison seeks the (created_at, job_id) index straight to the cursor.
    ifSet(q.after, ([createdAt, jobId]) => sql`(${t.createdAt}, ${t.jobId}) < (${createdAt}, ${jobId})`),
  );
}

export function resourceWhere(t: EitherTable<'resources'>, q: Omit<ResourceQuery, 'limit'>): SQL | undefined {
  return and(
    ifSet(q.provider, (provider) => eq(t.provider, provider)),
    ifSet(q.account, (account) => eq(t.account, account)),
    ifSet(q.region, (region) => eq(t.region, region)),
    ifSet(q.type, (type) => eq(t.type, type)),
    ifSet(q.job_id, (job) => eq(t.lastSeenJob, job)),
    ifSet(q.after, (key) => gt(t.resourceKey, key)),
  );
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

export function driftWhere(t: EitherTable<'driftItems'>, f: DriftFilter, afterSeq: number): SQL | undefined {
  return and(
    eq(t.jobId, f.job_id),
    gt(t.seq, afterSeq),
    ifSet(f.kind, (kind) => eq(t.kind, kind)),
    ifSet(f.severity, (severity) => eq(t.severity, severity)),
    ifSet(f.min_score, (score) => gte(t.score, score)),
    ifSet(f.tf_type, (tfType) => eq(t.tfType, tfType)),
    ifSet(f.account, (account) => eq(t.account, account)),
    ifSet(f.region, (region) => eq(t.region, region)),
  );
}

/** The seq span one part of a job's analysis owns, from `firstSeq`. */
export function driftPartWhere(t: EitherTable<'driftItems'>, jobId: string, firstSeq: number, span: number): SQL | undefined {
  return and(eq(t.jobId, jobId), gte(t.seq, firstSeq), lt(t.seq, firstSeq + span));
}

/** A job's analysis written again replaces its summary. */
export function analysisUpdate(t: EitherTable<'analyses'>) {
  return { summary: excluded(t.summary), duplicates: excluded(t.duplicates), completedAt: excluded(t.completedAt) };
}

export function analysesWindowWhere(t: EitherTable<'analyses'>, since: string, until: string, provider?: Provider): SQL | undefined {
  return and(gte(t.completedAt, since), lte(t.completedAt, until), ifSet(provider, (p) => eq(t.provider, p)));
}

/** The active version of a workspace's state, which a new import supersedes. */
export function activeVersionWhere(t: EitherTable<'states'>, workspace: string, name: string): SQL | undefined {
  return and(eq(t.workspace, workspace), eq(t.name, name), eq(t.status, 'active'));
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
  return sql`coalesce(sum(${t.shardsTotal} - ${t.shardsSucceeded} - ${t.shardsFailed} - ${t.shardsCancelled}), 0)`.mapWith(Number);
}

/** A deployment setting written again replaces its value. */
export function settingUpdate(t: EitherTable<'settings'>) {
  return { value: excluded(t.value), updatedAt: excluded(t.updatedAt) };
}

/** Resources per scope, the rows of resource_counts. */
export function scopeCountColumns<T extends EitherTable<'resources'>>(t: T) {
  return { ...columnsAs(t, { provider: 'provider', account: 'account', region: 'region', type: 'type' }), count: count().as('count') };
}
