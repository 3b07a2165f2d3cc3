import type { JobSummary } from '../contract/api.js';
import type { DiscoveredResource } from '../contract/resource.js';
import { instanceAccounts, type ParsedState, type StateInstance } from '../engine/index.js';
import type { StoredResource, StoredState } from './store.js';

/**
 * Row shapes shared by both stores once JSON columns are decoded (D1 returns them as text,
 * Postgres as values), and the mappings between rows and the Store's types.
 */
export interface JobRow {
  job_id: string;
  provider: JobSummary['provider'];
  status: JobSummary['status'];
  accounts: string[];
  regions: string[];
  resource_types: string[];
  mode: JobSummary['mode'];
  sharding_type: JobSummary['sharding']['type'];
  shard_size: number;
  shards_total: number;
  shards_succeeded: number;
  shards_failed: number;
  shards_cancelled: number;
  resources_discovered: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  error: string | null;
}

/** A job as the index knows it; it does not tell leased from pending (the coordinator does). */
export function jobSummaryOf(r: JobRow): JobSummary {
  return {
    job_id: r.job_id,
    status: r.status,
    provider: r.provider,
    accounts: r.accounts,
    regions: r.regions,
    resource_types: r.resource_types,
    mode: r.mode,
    sharding: { type: r.sharding_type, shard_size: r.shard_size },
    counts: {
      shards_total: r.shards_total,
      shards_pending: Math.max(0, r.shards_total - r.shards_succeeded - r.shards_failed - r.shards_cancelled),
      shards_leased: 0,
      shards_succeeded: r.shards_succeeded,
      shards_failed: r.shards_failed,
      shards_cancelled: r.shards_cancelled,
      resources_discovered: r.resources_discovered,
    },
    created_at: r.created_at,
    updated_at: r.updated_at,
    finished_at: r.finished_at,
    error: r.error,
  };
}

export interface ResourceRow {
  resource_key: string;
  provider: DiscoveredResource['provider'];
  account: string;
  region: string;
  type: string;
  resource_id: string;
  name: string | null;
  attributes: Record<string, unknown>;
  tags: Record<string, string>;
  first_seen_job: string;
  last_seen_job: string;
  last_seen_at: string;
}

export const RESOURCE_COLUMNS = `resource_key, provider, account, region, type, resource_id, name, attributes, tags, first_seen_job, last_seen_job, last_seen_at`;

export function storedResourceOf(r: ResourceRow): StoredResource {
  return {
    resource_key: r.resource_key,
    provider: r.provider,
    account: r.account,
    region: r.region,
    type: r.type,
    id: r.resource_id,
    ...(r.name === null ? {} : { name: r.name }),
    attributes: r.attributes,
    tags: r.tags,
    first_seen_job: r.first_seen_job,
    last_seen_job: r.last_seen_job,
    last_seen_at: r.last_seen_at,
  };
}

/** The discovered resource inside a stored one, without its sighting bookkeeping. */
export function discoveredOf(r: StoredResource): DiscoveredResource {
  const { resource_key: _key, first_seen_job: _first, last_seen_job: _last, last_seen_at: _at, ...resource } = r;
  return resource;
}

/** The rows a state import writes, with fresh state ids. */
export function newStoredStates(workspace: string, parsed: ParsedState[], importedAt: string): StoredState[] {
  return parsed.map((p) => ({
    state_id: `state_${Date.now().toString(36)}${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`,
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

/** The rows both stores write for a state's instances: order, type, address, account, body. */
export function stateInstanceRows(state: ParsedState) {
  const accounts = instanceAccounts(state);
  return state.instances.map((instance, seq) => ({ seq, t: instance.tfType, a: instance.address, acct: accounts[seq] ?? null, b: instance }));
}

/** An import abandoned this long ago (its Worker died mid-write) is cleaned up. */
export const STALE_IMPORT_MS = 3600_000;
