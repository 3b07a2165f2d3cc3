import type { JobSummary } from '../contract/api.js';
import { DriftSummary } from '../contract/drift.js';
import type { IgnoreRules } from '../contract/ignore.js';
import type { JobSpec } from '../contract/job.js';
import { resourceKey } from '../contract/resource.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import {
  type DriftItem,
  instanceAccounts,
  instanceSlot,
  type ParsedState,
  resourceSlot,
  type StateInstance,
} from '../engine/index.js';
import { columnsAs, type EitherTable, type InsertOf, type RowOf } from './queries.js';
import type {
  ActiveInstance,
  DeadLetter,
  JobIndexUpdate,
  ReadVersion,
  ResourceBatch,
  StoredAnalysis,
  StoredResource,
  StoredState,
  TrackCursor,
} from './store.js';

/**
 * The mappings between the Store's types and table rows, shared by both stores: drizzle reads
 * and writes rows in the same shape in either dialect (JSON columns decoded, instants as ISO
 * strings). Column selections are generic in the table so each dialect's select types them.
 */

/** A job as the index knows it; it does not tell leased from pending (the coordinator does). */
export function jobSummaryOf(r: RowOf<'jobs'>): JobSummary {
  return {
    job_id: r.jobId,
    status: r.status,
    provider: r.provider,
    accounts: r.accounts,
    regions: r.regions,
    resource_types: r.resourceTypes,
    mode: r.mode,
    sharding: { type: r.shardingType, shard_size: r.shardSize },
    counts: {
      shards_total: r.shardsTotal,
      shards_pending: Math.max(0, r.shardsTotal - r.shardsSucceeded - r.shardsFailed - r.shardsCancelled),
      shards_leased: 0,
      shards_succeeded: r.shardsSucceeded,
      shards_failed: r.shardsFailed,
      shards_cancelled: r.shardsCancelled,
      resources_discovered: r.resourcesDiscovered,
    },
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    finished_at: r.finishedAt,
    error: r.error,
    schedule_id: r.scheduleId,
  };
}

/** The index row of a job just created: pending, no shard counted yet. */
export function newJobRow(spec: JobSpec, createdAt: string): InsertOf<'jobs'> {
  return {
    jobId: spec.job_id,
    provider: spec.provider,
    status: 'pending',
    accounts: spec.accounts,
    regions: spec.regions,
    resourceTypes: spec.resource_types,
    mode: spec.mode,
    shardingType: spec.sharding.type,
    shardSize: spec.sharding.shard_size,
    createdAt,
    updatedAt: createdAt,
    scheduleId: spec.schedule_id ?? null,
    tenantId: spec.tenant_id ?? DEFAULT_TENANT,
  };
}

/** What a coordinator's update changes in a job's index row. */
export function jobIndexChanges(u: JobIndexUpdate) {
  return {
    status: u.status,
    shardsTotal: u.shards_total,
    shardsSucceeded: u.shards_succeeded,
    shardsFailed: u.shards_failed,
    shardsCancelled: u.shards_cancelled,
    resourcesDiscovered: u.resources_discovered,
    updatedAt: u.updated_at,
    finishedAt: u.finished_at,
    error: u.error,
  } satisfies Partial<InsertOf<'jobs'>>;
}

/** The columns of a discovered resource, under the Store's names. */
export function discoveredColumns<T extends EitherTable<'resources'>>(t: T) {
  return columnsAs(t, {
    provider: 'provider',
    account: 'account',
    region: 'region',
    type: 'type',
    id: 'resourceId',
    name: 'name',
    attributes: 'attributes',
    tags: 'tags',
  });
}

/** A stored resource's columns: the discovered resource and its sightings. */
export function storedColumns<T extends EitherTable<'resources'>>(t: T) {
  return {
    ...discoveredColumns(t),
    ...columnsAs(t, {
      resource_key: 'resourceKey',
      first_seen_job: 'firstSeenJob',
      last_seen_job: 'lastSeenJob',
      last_seen_at: 'lastSeenAt',
    }),
  };
}

/** A resource without a name has no `name` at all, as the agents report it. */
export function withoutNullName<R extends { name: string | null }>(row: R): Omit<R, 'name'> & { name?: string } {
  const { name, ...rest } = row;
  return name === null ? rest : { ...rest, name };
}

/** A sighting read with its key and slot, as the resource it is. */
export function resourceOfSighting<R extends { key: string; slot: number | null; name: string | null }>({
  key: _key,
  slot: _slot,
  ...row
}: R) {
  return withoutNullName(row);
}

/** A discovered resource as the bulk writes carry it in their one JSON parameter (short keys keep the JSON small). */
interface BulkResourceFields {
  k: string;
  p: string;
  a: string;
  r: string;
  t: string;
  i: string;
  n: string | null;
  at: Record<string, unknown>;
  tg: Record<string, string>;
  s: string;
}

/** An inventory row as restores carry it; first_seen only applies to new rows. */
export interface UpsertRow extends BulkResourceFields {
  f: string;
  l: string;
}

/** A job's sighting of a resource as ingest carries it. */
export interface SightingRow extends BulkResourceFields {
  j: string;
  /** The resource's slot (engine/partition.ts). */
  sl: number;
}

/** The rows a delivery's batches write: each resource seen by its batch's job at `seenAt`. */
export function sightingRows(batches: ResourceBatch[], seenAt: string): SightingRow[] {
  return batches.flatMap((b) =>
    b.resources.map((r) => ({
      j: b.job_id,
      k: resourceKey(r),
      p: r.provider,
      a: r.account,
      r: r.region,
      t: r.type,
      i: r.id,
      n: r.name ?? null,
      at: r.attributes,
      tg: r.tags,
      s: seenAt,
      sl: resourceSlot(r),
    })),
  );
}

/** A sighting's columns as a discovered resource, under the Store's names. */
export function sightingColumns<T extends EitherTable<'jobResources'>>(t: T) {
  return columnsAs(t, {
    provider: 'provider',
    account: 'account',
    region: 'region',
    type: 'type',
    id: 'resourceId',
    name: 'name',
    attributes: 'attributes',
    tags: 'tags',
  });
}

/** The first page of `limit` rows of two lists each in key order, as one list in key order. */
export function firstByKey<R extends { resource_key: string }>(a: R[], b: R[], limit: number): R[] {
  return [...a, ...b]
    .sort((x, y) => (x.resource_key < y.resource_key ? -1 : x.resource_key > y.resource_key ? 1 : 0))
    .slice(0, limit);
}

/** The rows that write exported resources back, sightings as exported. */
export function restoredRows(stored: StoredResource[]): UpsertRow[] {
  return stored.map((r) => ({
    k: r.resource_key,
    p: r.provider,
    a: r.account,
    r: r.region,
    t: r.type,
    i: r.id,
    n: r.name ?? null,
    at: r.attributes,
    tg: r.tags,
    f: r.first_seen_job,
    l: r.last_seen_job,
    s: r.last_seen_at,
  }));
}

export function analysisColumns<T extends EitherTable<'analyses'>>(t: T) {
  return columnsAs(t, {
    job_id: 'jobId',
    provider: 'provider',
    summary: 'summary',
    duplicates: 'duplicates',
    completed_at: 'completedAt',
  });
}

/** A stored analysis with its summary decoded by the contract: summaries stored before a count existed read it as 0. */
export function storedAnalysisOf(row: StoredAnalysis): StoredAnalysis {
  return { ...row, summary: DriftSummary.parse(row.summary) };
}

/** What the drift lifecycle reads of a track (its item body stays in the database). */
export function trackStateColumns<T extends EitherTable<'driftTracks'>>(t: T) {
  return columnsAs(t, {
    itemKey: 'itemKey',
    cloudType: 'cloudType',
    region: 'region',
    firstSeenJob: 'firstSeenJob',
    firstSeenAt: 'firstSeenAt',
    lastSeenAt: 'lastSeenAt',
    resolvedJob: 'resolvedJob',
    resolvedAt: 'resolvedAt',
  });
}

/** What the drift lifecycle reads of an acknowledgement: all but its tenant. */
export function ackStateColumns<T extends EitherTable<'driftAcks'>>(t: T) {
  return columnsAs(t, {
    resourceKey: 'resourceKey',
    reason: 'reason',
    until: 'until',
    changeFingerprint: 'changeFingerprint',
    createdAt: 'createdAt',
  });
}

/** A resolved track's last item, as the drift listing shows it. */
export function resolvedItemOf(row: { item: DriftItem; itemKey: string; provider: string; account: string }): {
  cursor: TrackCursor;
  item: DriftItem;
} {
  return { cursor: [row.itemKey, row.provider, row.account], item: { ...row.item, status: 'resolved' } };
}

export function analysisRow(a: StoredAnalysis): InsertOf<'analyses'> {
  return {
    jobId: a.job_id,
    provider: a.provider,
    mode: a.summary.mode,
    summary: a.summary,
    duplicates: a.duplicates,
    completedAt: a.completed_at,
  };
}

export function stateColumns<T extends EitherTable<'states'>>(t: T) {
  return columnsAs(t, {
    state_id: 'stateId',
    workspace: 'workspace',
    name: 'name',
    version: 'version',
    terraform_version: 'terraformVersion',
    serial: 'serial',
    lineage: 'lineage',
    instances: 'instances',
    data_sources_skipped: 'dataSourcesSkipped',
    imported_at: 'importedAt',
  });
}

/** A fresh state id; ids sort by creation time. */
export const newStateId = () =>
  `state_${Date.now().toString(36)}${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;

/** The rows a state import writes, with fresh state ids. */
export function newStoredStates(workspace: string, parsed: ParsedState[], importedAt: string): StoredState[] {
  return parsed.map((p) => ({
    state_id: newStateId(),
    workspace,
    name: p.source,
    version: p.version,
    terraform_version: p.terraformVersion ?? null,
    serial: p.serial ?? null,
    lineage: p.lineage ?? null,
    instances: p.instances.length,
    data_sources_skipped: p.dataSourcesSkipped,
    imported_at: importedAt,
  }));
}

/** A state's row while its instances are still being written. */
export function importingStateRow(tenant: string, s: StoredState): InsertOf<'states'> {
  return {
    stateId: s.state_id,
    tenantId: tenant,
    workspace: s.workspace,
    name: s.name,
    status: 'importing',
    version: s.version,
    terraformVersion: s.terraform_version,
    serial: s.serial,
    lineage: s.lineage,
    instances: s.instances,
    dataSourcesSkipped: s.data_sources_skipped,
    importedAt: s.imported_at,
  };
}

/** A stored state and its instances as the engine reads them; workspaces prefix the source. */
export function parsedStateOf(s: StoredState, instances: StateInstance[]): ParsedState {
  return {
    source: s.workspace === 'default' ? s.name : `${s.workspace}/${s.name}`,
    version: s.version,
    ...(s.terraform_version ? { terraformVersion: s.terraform_version } : {}),
    ...(s.serial !== null ? { serial: s.serial } : {}),
    ...(s.lineage ? { lineage: s.lineage } : {}),
    instances,
    dataSourcesSkipped: s.data_sources_skipped,
  };
}

/** The active states, each with the instances a scan of them visits (a state with none stays, empty). */
export async function activeStatesOf(
  active: readonly StoredState[],
  scan: (visit: (page: ActiveInstance[]) => void) => Promise<void>,
): Promise<ParsedState[]> {
  const byState = new Map(active.map((s) => [s.state_id, [] as StateInstance[]]));
  // A state activated after `active` was read is not in the map: its instances wait for the next read.
  await scan((page) => {
    for (const { state_id, instance } of page) byState.get(state_id)?.push(instance);
  });
  return active.map((s) => parsedStateOf(s, byState.get(s.state_id)!));
}

/** The rows both stores write for a state's instances: order, type, address, account, body, slot. */
export function stateInstanceRows(state: ParsedState) {
  return instanceRows(state.instances, 0, instanceAccounts(state));
}

/** The rows of instances from position `firstSeq` of their state, with their accounts (a streamed import's batch). */
export function instanceRows(
  instances: readonly StateInstance[],
  firstSeq: number,
  accounts: readonly (string | null)[],
) {
  return instances.map((instance, i) => ({
    seq: firstSeq + i,
    t: instance.tfType,
    a: instance.address,
    acct: accounts[i] ?? null,
    b: instance,
    sl: instanceSlot(instance),
  }));
}
export type StateInstanceRow = ReturnType<typeof instanceRows>[number];

/** An import abandoned this long ago (its Worker died mid-write) is cleaned up. */
export const STALE_IMPORT_MS = 3600_000;

export function deadLetterRow(l: DeadLetter, receivedAt: string): InsertOf<'deadLetters'> {
  return { messageId: l.message_id, queue: l.queue, reason: l.reason, body: l.body, receivedAt };
}

/** The settings row that holds a tenant's ignore rules; the default tenant's keeps the key rules had before tenants. */
export const ignoreRulesKey = (tenant: string): string => (tenant === DEFAULT_TENANT ? 'ignore' : `ignore:${tenant}`);

/** The ignore rules of a deployment that never set any. */
export const NO_IGNORE_RULES: IgnoreRules = { driftignore: '', rules: [] };

/** Grouped counts as a record by key, the shape the metrics endpoint reports. */
export function countsByKey(rows: { key: string; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

type Aggregate = { n: number; last: string | null } | undefined;

/** ReadVersion from its aggregate rows. */
export function readVersionOf(rows: {
  analyses: Aggregate;
  detail: { oldest: string | null } | undefined;
  acks: Aggregate;
  settings: Aggregate;
  counts: { n: number; total: number } | undefined;
}): ReadVersion {
  return {
    analyses: rows.analyses?.n ?? 0,
    last_analysis_at: rows.analyses?.last ?? null,
    oldest_detail_at: rows.detail?.oldest ?? null,
    acks: rows.acks?.n ?? 0,
    last_ack_at: rows.acks?.last ?? null,
    settings: rows.settings?.n ?? 0,
    last_setting_at: rows.settings?.last ?? null,
    resource_scopes: rows.counts?.n ?? 0,
    resources: rows.counts?.total ?? 0,
  };
}
