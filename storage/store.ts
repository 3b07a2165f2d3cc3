import type { JobSummary } from '../contract/api.js';
import type { DriftAck, DriftStatus } from '../contract/drift.js';
import type { IgnoreRules } from '../contract/ignore.js';
import type { JobSpec } from '../contract/job.js';
import type { NotificationType } from '../contract/notifications.js';
import type { DiscoveredResource, Provider } from '../contract/resource.js';
import type { StoredState } from '../contract/states.js';
import type {
  CoverageScope,
  DriftItem,
  DriftReport,
  DriftSummary,
  DuplicateFinding,
  ParsedState,
  Severity,
  StateInstance,
} from '../engine/index.js';
import type { AccessStore } from './access.js';
import type { ImportStore } from './imports.js';
import type { StateSourceStore } from './state-sources.js';

/** The job index row mirrored from a coordinator. */
export interface JobIndexUpdate {
  job_id: string;
  status: JobSummary['status'];
  shards_total: number;
  shards_succeeded: number;
  shards_failed: number;
  shards_cancelled: number;
  resources_discovered: number;
  updated_at: string;
  finished_at: string | null;
  error: string | null;
}

export interface JobListQuery {
  status?: JobSummary['status'];
  provider?: Provider;
  limit: number;
  /** Only this tenant's jobs; every tenant's when unset (the deployment's metrics). */
  tenant?: string;
  /** Sort key (created_at, job_id) of the last job of the previous page. */
  after?: [string, string];
}

/** One results chunk part as the consumer writes it. */
export interface ResourceBatch {
  job_id: string;
  resources: DiscoveredResource[];
}

export interface StoredResource extends DiscoveredResource {
  resource_key: string;
  first_seen_job: string;
  last_seen_job: string;
  last_seen_at: string;
}

export interface ResourceQuery {
  /** Each tenant lists its own inventory only. */
  tenant: string;
  provider?: Provider;
  account?: string;
  region?: string;
  type?: string;
  job_id?: string;
  limit: number;
  /** resource_key of the last row of the previous page. */
  after?: string;
}

export interface ResourceCount {
  provider: Provider;
  account: string;
  region: string;
  type: string;
  count: number;
}

export type { StoredState } from '../contract/states.js';

/**
 * Slots (engine/partition.ts) of one part of an account's analysis: a range, both ends
 * included, or a set. Reads by a set come a group of slots at a time, each in its own order.
 */
export type SlotFilter = { from: number; to: number } | { in: readonly number[] };
export type SlotRange = Extract<SlotFilter, { from: number }>;
/** A part's sightings: a range of slots, or those written before slots existed. */
export type SightingSlots = SlotRange | 'unslotted';

export interface StateFilter {
  /** Only the states of this tenant: a tenant's analysis never reads another's states. */
  tenant: string;
  /** Only instances of these Terraform types. */
  tfTypes?: ReadonlySet<string>;
  /** Only instances of this account, plus those whose account the state does not tell. */
  account?: string;
  /** Only instances in these slots. */
  slots?: SlotFilter;
}

/** An instance of an active state as a scan visits it. */
export interface ActiveInstance {
  state_id: string;
  instance: StateInstance;
}

export interface InventoryFilter {
  /** Only resources in these slots. */
  slots?: SlotFilter;
  /** Only resources of these cloud types. */
  types?: readonly string[];
}

/** Sightings of an account per bucket of slots (slot >> shift); null: rows written before slots. */
export interface SlotBucketCount {
  bucket: number | null;
  n: number;
}

export interface DriftFilter {
  job_id: string;
  kind?: DriftItem['kind'];
  severity?: Severity;
  min_score?: number;
  tf_type?: string;
  account?: string;
  region?: string;
  status?: Exclude<DriftStatus, 'resolved'>;
  /** false: only items nobody acknowledged; true: only acknowledged ones. */
  acknowledged?: boolean;
}

/** The items a job found gone (resolved tracks), filtered like its own items. */
export type ResolvedDriftFilter = Omit<DriftFilter, 'status' | 'acknowledged'>;

/** Where a page of resolved items ends: the track's (item_key, provider, account). */
export type TrackCursor = [string, string, string];

/** One account's part of a job's analysis, as the drift lifecycle sees it. */
export interface DriftPart {
  /** The job's tenant: each tenant's drift has its own tracks and acknowledgements, even in one account. */
  tenant: string;
  job_id: string;
  provider: Provider;
  account: string;
  /** When the job started: its sightings are no older, so tracks last seen before then are older news. */
  as_of: string;
  /** What the job fully covered; tracks elsewhere stay as they are. */
  scopes: CoverageScope[];
  /** Whether tracks the job did not report may be resolved (not when it skipped unchanged resources). */
  resolves: boolean;
  items: DriftItem[];
  /** The time acknowledgements are judged at. */
  now: string;
}

/** What resolving an account's drift needs of its analysis. */
export type DriftResolution = Omit<DriftPart, 'items' | 'now'>;

export interface TrackedDrift {
  /** The part's items with first_seen_at, first_seen_job, status and acknowledged set. */
  items: DriftItem[];
  counts: Pick<DriftSummary, 'new' | 'resolved' | 'acknowledged'>;
}

/** Drift items of one part of an analysis (one account) get seq numbers in a span this wide. */
export const DRIFT_PART_SPAN = 1_000_000;

export interface StoredAnalysis {
  job_id: string;
  provider: Provider;
  summary: DriftSummary;
  duplicates: DuplicateFinding[];
  completed_at: string;
}

/** A notification target as stored, its signing secret included (only the sender reads it). */
export interface NotificationTarget {
  notification_id: string;
  type: NotificationType;
  url: string;
  min_severity: Severity;
  secret: string | null;
  created_at: string;
  /** The tenant whose jobs' drift the target announces. */
  tenant_id: string;
}

/** What a notification tells of a job's new drift at or above a severity. */
export interface NewDriftDigest {
  /** New, unacknowledged items per severity asked for (severities with none absent). */
  by_severity: Partial<Record<Severity, number>>;
  /** The riskiest of them: highest score first, then report order. */
  top: DriftItem[];
}

export interface DeadLetter {
  message_id: string;
  queue: string;
  reason: string;
  body: unknown;
}

/**
 * Everything the control plane keeps outside Durable Objects. D1 is the default; Postgres
 * through Hyperdrive is the other implementation. Routes, the consumer and the objects
 * talk to this interface only, so neither knows which database is behind it.
 */
export interface Store extends AccessStore, StateSourceStore, ImportStore {
  readonly kind: 'd1' | 'postgres';
  ping(): Promise<void>;

  indexJob(spec: JobSpec, createdAt: string): Promise<void>;
  updateJobIndex(update: JobIndexUpdate): Promise<void>;
  listJobs(query: JobListQuery): Promise<JobSummary[]>;
  /** Whether the job is indexed, and with `tenant`, is that tenant's: another tenant's job is as good as none. */
  jobExists(jobId: string, tenant?: string): Promise<boolean>;
  /** A tenant's jobs still pending or running that cover this account, oldest first. */
  openJobsForAccount(provider: Provider, account: string, tenant: string): Promise<string[]>;

  /** An agent of a tenant leased for an account: the account is known to that tenant. */
  recordAgent(provider: Provider, account: string, agentId: string, seenAt: string, tenant: string): Promise<void>;
  /** Accounts agents leased for since `since`: a tenant's, or with no tenant, every tenant's (metrics). */
  accountsSeenSince(provider: Provider, since: string, tenant?: string): Promise<string[]>;

  /**
   * Records each batch's resources as its job's sightings (`job_resources`), one row per job
   * and resource key: writing the same batches again changes nothing but the time seen.
   */
  upsertResources(batches: ResourceBatch[], seenAt: string): Promise<void>;
  /** Writes exported rows back into a tenant's inventory exactly as they were (first and last sightings included). */
  restoreResources(tenant: string, rows: StoredResource[]): Promise<void>;
  /** What a job saw in one account, from its own sightings, whatever other jobs saw meanwhile. */
  loadInventory(jobId: string, account: string, filter?: InventoryFilter): Promise<DiscoveredResource[]>;
  /** The same, visited a page at a time, so the caller keeps only what it needs of each. */
  scanInventory(
    jobId: string,
    account: string,
    filter: InventoryFilter,
    visit: (page: DiscoveredResource[]) => void,
  ): Promise<void>;
  /** How a job's sightings of an account spread over buckets of slots (slot >> shift), in one query. */
  sightingsPerBucket(jobId: string, account: string, shift: number): Promise<SlotBucketCount[]>;
  /**
   * A tenant's inventory, latest sighting of each resource. With `job_id`: the job's sightings while
   * they exist, and the inventory rows last seen by that job whose sightings were merged.
   */
  listResources(query: ResourceQuery): Promise<StoredResource[]>;
  /** A tenant's inventory rows by resource key (those still in it), in key order. */
  resourcesByKey(tenant: string, keys: readonly string[]): Promise<DiscoveredResource[]>;
  /**
   * Merges a job's sightings of an account into its tenant's inventory, a page of keys at a time: a row
   * takes a sighting no older than its own; first_seen_job stays. Running it again changes nothing.
   * With `slots`, only those of one part's range, or those written before slots.
   */
  mergeSightings(jobId: string, account: string, slots?: SightingSlots): Promise<void>;
  /**
   * Drops a job's sightings (of one account, or all), a page at a time; with `slots`, as
   * mergeSightings, leaving those of the `keepTypes`.
   */
  dropSightings(jobId: string, account?: string, slots?: SightingSlots, keepTypes?: readonly string[]): Promise<void>;
  /** Drops the sightings of jobs that finished before `before` (crashed, failed, cancelled); returns how many jobs had some. */
  pruneSightings(before: string): Promise<number>;
  /** Recomputes the per-tenant, per-scope resource counts the summary reads (after each analysis). */
  refreshResourceCounts(): Promise<void>;
  /** A tenant's resource counts per scope, or with no tenant the deployment's, summed over tenants (metrics). */
  resourceCounts(tenant?: string): Promise<ResourceCount[]>;
  /** Drops resources no job has seen since `before` (gone from the cloud); returns how many. */
  pruneStaleResources(before: string): Promise<number>;

  /** States belong to a tenant: a new version supersedes only its own tenant's state of that workspace and name. */
  saveStates(tenant: string, workspace: string, parsed: ParsedState[]): Promise<StoredState[]>;
  listActiveStates(tenant: string): Promise<StoredState[]>;
  /** Every active state of the filter's tenant, rebuilt for the engine, with only the instances the filter lets through. */
  loadActiveStates(filter: StateFilter): Promise<ParsedState[]>;
  /** The instances the filter lets through, a page at a time (SCAN_PAGE unless `pageSize`), in state then instance order. */
  scanActiveInstances(filter: StateFilter, visit: (page: ActiveInstance[]) => void, pageSize?: number): Promise<void>;

  /**
   * Writes one part of a job's drift items with seq numbers from `firstSeq`; the items an
   * earlier write of the same part left (seq within DRIFT_PART_SPAN of it) are replaced.
   */
  saveDriftItems(jobId: string, firstSeq: number, items: DriftItem[]): Promise<void>;
  /** Writes (or replaces) a job's analysis summary: the trend point. */
  saveAnalysisSummary(analysis: StoredAnalysis): Promise<void>;
  listDriftItems(filter: DriftFilter, afterSeq: number, limit: number): Promise<{ seq: number; item: DriftItem }[]>;
  getAnalysis(jobId: string): Promise<StoredAnalysis | null>;
  /** The newest analysis of each provider; with `tenant`, of that tenant's jobs only (so are the next two). */
  latestAnalyses(tenant?: string): Promise<StoredAnalysis[]>;
  latestAnalysedJob(provider?: Provider, tenant?: string): Promise<string | null>;
  loadReport(jobId: string): Promise<DriftReport | null>;
  /** Analyses completed in a window, oldest first: the trend points. */
  analysesBetween(since: string, until: string, provider?: Provider, tenant?: string): Promise<StoredAnalysis[]>;
  /** Content fingerprints from a tenant's earlier analyses of a provider, by address or resource key (incremental mode). */
  loadFingerprints(tenant: string, provider: Provider, keys?: readonly string[]): Promise<Record<string, string>>;
  /** Upserts a tenant's fingerprints after an analysis, so its next incremental run compares with them. */
  saveFingerprints(tenant: string, provider: Provider, fingerprints: Record<string, string>): Promise<void>;
  /**
   * Drops drift items of analyses older than `before`, keeping their summaries, and the tracks
   * of drift resolved before then; returns the jobs pruned.
   */
  pruneDriftDetail(before: string): Promise<string[]>;

  /**
   * Files one account's part of a job's analysis into the drift tracks: each item gets its first
   * sighting and status, acknowledged items their acknowledgement; open tracks the job did not
   * report, last seen before it started and within its scopes, are resolved by it. Running it
   * again for the same part gives the same answer. fileDrift and then resolveDrift.
   */
  trackDrift(part: DriftPart): Promise<TrackedDrift>;
  /**
   * Files the items of one part of an account's analysis, reading only their own tracks: the
   * counts it returns leave `resolved` at 0. Running it again gives the same answer.
   */
  fileDrift(part: DriftPart): Promise<TrackedDrift>;
  /**
   * Once every part of an account's analysis is filed: resolves its open tracks last seen before
   * the job started and within its scopes (those it reported were seen by it), a page at a time.
   * Returns how many of the account's tracks the job resolved, this run or an earlier one.
   */
  resolveDrift(part: DriftResolution): Promise<number>;
  /** The last item of each track a job resolved, in (item_key, provider, account) order after `after`. */
  listResolvedDrift(
    filter: ResolvedDriftFilter,
    after: TrackCursor | undefined,
    limit: number,
  ): Promise<{ cursor: TrackCursor; item: DriftItem }[]>;
  /**
   * Acknowledges a tenant's open drift item whose resource_key (or address) is `ack.resource_key`,
   * for its current changes; null when the tenant has no open item with that key.
   */
  acknowledgeDrift(tenant: string, ack: DriftAck): Promise<DriftAck | null>;

  recordDeadLetters(letters: DeadLetter[], receivedAt: string): Promise<void>;

  createNotification(target: NotificationTarget): Promise<void>;
  /** A tenant's targets (every tenant's without one), oldest first. */
  listNotifications(tenant?: string): Promise<NotificationTarget[]>;
  getNotification(notificationId: string): Promise<NotificationTarget | null>;
  /** Deletes a target and the record of its deliveries; false when there was none. */
  deleteNotification(notificationId: string): Promise<boolean>;
  /** Whether the target was told of this job's drift already. */
  notificationDelivered(notificationId: string, jobId: string): Promise<boolean>;
  /** Remembers that the target was told of this job's drift; recording it again changes nothing. */
  recordNotificationDelivery(notificationId: string, jobId: string, deliveredAt: string): Promise<void>;
  /** A job's items first seen in it and not acknowledged, of these severities: counts and the `limit` riskiest. */
  newDriftDigest(jobId: string, severities: readonly Severity[], limit: number): Promise<NewDriftDigest>;

  /** The deployment's ignore rules (empty until set). */
  /** Ignore rules are a tenant's own: a tenant's analysis applies its rules only. */
  getIgnoreRules(tenant: string): Promise<IgnoreRules>;
  putIgnoreRules(tenant: string, rules: IgnoreRules, updatedAt: string): Promise<void>;

  /** Counts for the Prometheus endpoint. */
  operationalCounts(): Promise<OperationalCounts>;
  /** What the gateway's cached reads are computed from, in a few aggregates (ReadVersion). */
  readVersion(): Promise<ReadVersion>;
}

export interface OperationalCounts {
  jobs_by_status: Record<string, number>;
  /** Shards of pending and running jobs not finished yet: the discovery backlog. */
  shards_open: number;
  dead_letters: number;
}

/**
 * Aggregates that change whenever the summary, drift, report or trend reads could: an analysis
 * saved, its detail pruned, resource counts refreshed, drift acknowledged, a setting (the ignore
 * rules) replaced. One cheap query each, so a reader can tell its cached answer is current
 * without recomputing it.
 */
export interface ReadVersion {
  analyses: number;
  last_analysis_at: string | null;
  /** The oldest analysis still holding drift items: retention moves it when it prunes detail. */
  oldest_detail_at: string | null;
  acks: number;
  last_ack_at: string | null;
  settings: number;
  last_setting_at: string | null;
  resource_scopes: number;
  resources: number;
}
