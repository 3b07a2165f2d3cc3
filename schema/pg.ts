import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
} from 'drizzle-orm/pg-core';
import type { JobSummary } from '../contract/api.js';
import type { Severity } from '../contract/drift.js';
import type { ImportFile, ImportJob, ImportStatus } from '../contract/imports.js';
import type { NotificationType } from '../contract/notifications.js';
import type { Provider } from '../contract/resource.js';
import type { StateSourceType } from '../contract/state-locations.js';
import type { StateReadSummary } from '../contract/state-sources.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import type { Role } from '../contract/tokens.js';
import type { DriftItem, DriftSummary, DuplicateFinding, StateInstance } from '../engine/index.js';
import type { StateStatus } from './d1.js';

/**
 * The Postgres side of the control plane (through Hyperdrive), the same tables and indexes as
 * schema/d1.ts. Keys and the columns results are ordered by use the "C" collation so Postgres
 * sorts and pages them bytewise, exactly as SQLite does, whatever the database's locale.
 */
const text = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });
/**
 * Instants read back as ISO strings, as D1 keeps them (the contract's timestamps are strings);
 * Postgres writes them in its ISO output style, which Date parses.
 */
const instant = customType<{ data: string; driverData: string }>({
  dataType: () => 'timestamp(3) with time zone',
  fromDriver: (value) => new Date(value).toISOString(),
});

export const jobs = pgTable(
  'jobs',
  {
    jobId: text('job_id').primaryKey(),
    /** The tenant the row belongs to (contract/tenants.ts). */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    provider: text('provider').$type<Provider>().notNull(),
    status: text('status').$type<JobSummary['status']>().notNull(),
    accounts: jsonb('accounts').$type<string[]>().notNull(),
    regions: jsonb('regions').$type<string[]>().notNull(),
    resourceTypes: jsonb('resource_types').$type<string[]>().notNull(),
    mode: text('mode').$type<JobSummary['mode']>().notNull(),
    shardingType: text('sharding_type').$type<JobSummary['sharding']['type']>().notNull(),
    shardSize: integer('shard_size').notNull(),
    shardsTotal: integer('shards_total').notNull().default(0),
    shardsSucceeded: integer('shards_succeeded').notNull().default(0),
    shardsFailed: integer('shards_failed').notNull().default(0),
    shardsCancelled: integer('shards_cancelled').notNull().default(0),
    resourcesDiscovered: integer('resources_discovered').notNull().default(0),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    finishedAt: instant('finished_at'),
    error: text('error'),
    /** The schedule that started the job; null for a job started by hand. */
    scheduleId: text('schedule_id'),
  },
  // The job list pages on (created_at, job_id) descending: one index serves order and cursor.
  (t) => [
    index('jobs_created_idx').on(t.createdAt, t.jobId),
    index('jobs_status_idx').on(t.status, t.provider),
    index('jobs_schedule_idx').on(t.scheduleId, t.createdAt),
    index('jobs_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

/** Which accounts a job covers, so an agent's dispatcher finds the jobs it can serve. */
export const jobAccounts = pgTable(
  'job_accounts',
  {
    jobId: text('job_id').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.account] }), index('job_accounts_account_idx').on(t.provider, t.account)],
);

/** Agents seen by the lease endpoint; a discovery request without accounts uses these. */
export const agents = pgTable(
  'agents',
  {
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
    agentId: text('agent_id').notNull(),
    /** Accounts are known per tenant: the tenant of the agent token that leased for it. */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    lastSeenAt: instant('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.account, t.agentId] })],
);

/** The inventory: the latest sighting of every discovered resource, keyed by its stable key. */
export const resources = pgTable(
  'resources',
  {
    /** The tenant whose jobs saw the resource: each tenant keeps its own inventory, even of an account two tenants scan. */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    resourceKey: text('resource_key').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
    region: text('region').notNull(),
    type: text('type').notNull(),
    resourceId: text('resource_id').notNull(),
    name: text('name'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull(),
    tags: jsonb('tags').$type<Record<string, string>>().notNull(),
    firstSeenJob: text('first_seen_job').notNull(),
    lastSeenJob: text('last_seen_job').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.resourceKey] }),
    index('resources_scope_idx').on(t.provider, t.account, t.region, t.type),
    index('resources_job_idx').on(t.lastSeenJob, t.resourceKey),
    index('resources_type_idx').on(t.type, t.resourceKey),
    index('resources_account_idx').on(t.account, t.resourceKey),
  ],
);

/** Queue messages that could not be processed, with the reason, for operators to inspect. */
/** What one job discovered, exactly as that job saw it (see schema/d1.ts). */
export const jobResources = pgTable(
  'job_resources',
  {
    jobId: text('job_id').notNull(),
    resourceKey: text('resource_key').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
    region: text('region').notNull(),
    type: text('type').notNull(),
    resourceId: text('resource_id').notNull(),
    name: text('name'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull(),
    tags: jsonb('tags').$type<Record<string, string>>().notNull(),
    seenAt: instant('seen_at').notNull(),
    /** Where the resource is analysed when its account is analysed in parts (engine/partition.ts); null on rows written before. */
    slot: integer('slot'),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.resourceKey] }),
    index('job_resources_account_idx').on(t.jobId, t.account, t.resourceKey),
    index('job_resources_slot_idx').on(t.jobId, t.account, t.slot, t.resourceKey),
  ],
);

/** The life of each drift item across the analyses of one account (see schema/d1.ts). */
export const driftTracks = pgTable(
  'drift_tracks',
  {
    /** The tenant whose jobs saw the item: two tenants scanning one account keep separate histories. */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
    itemKey: text('item_key').notNull(),
    kind: text('kind').$type<DriftItem['kind']>().notNull(),
    tfType: text('tf_type').notNull(),
    cloudType: text('cloud_type').notNull(),
    region: text('region'),
    firstSeenJob: text('first_seen_job').notNull(),
    firstSeenAt: instant('first_seen_at').notNull(),
    lastSeenJob: text('last_seen_job').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
    resolvedJob: text('resolved_job'),
    resolvedAt: instant('resolved_at'),
    changeFingerprint: text('change_fingerprint').notNull(),
    item: jsonb('item').$type<DriftItem>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.provider, t.account, t.itemKey] }),
    index('drift_tracks_resolved_idx').on(t.resolvedJob, t.itemKey),
  ],
);

/** Drift someone acknowledged: silenced until its changes differ or `until` passes. */
export const driftAcks = pgTable(
  'drift_acks',
  {
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    resourceKey: text('resource_key').notNull(),
    reason: text('reason').notNull(),
    until: instant('until'),
    changeFingerprint: text('change_fingerprint').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.resourceKey] })],
);

export const deadLetters = pgTable('dead_letters', {
  messageId: text('message_id').primaryKey(),
  queue: text('queue').notNull(),
  reason: text('reason').notNull(),
  body: jsonb('body').notNull(),
  receivedAt: instant('received_at').notNull(),
});

/**
 * Imported Terraform states. An import writes its instances under a new state id while the
 * row is `importing`, then flips it to `active` (and the previous version of the same
 * workspace/name to `superseded`) in one transaction, so no reader sees half a state.
 */
export const states = pgTable(
  'states',
  {
    stateId: text('state_id').primaryKey(),
    /** The tenant the row belongs to (contract/tenants.ts). */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    workspace: text('workspace').notNull(),
    name: text('name').notNull(),
    status: text('status').$type<StateStatus>().notNull(),
    version: integer('version').notNull(),
    terraformVersion: text('terraform_version'),
    serial: bigint('serial', { mode: 'number' }),
    lineage: text('lineage'),
    instances: integer('instances').notNull(),
    dataSourcesSkipped: integer('data_sources_skipped').notNull(),
    importedAt: instant('imported_at').notNull(),
  },
  (t) => [index('states_active_idx').on(t.status, t.workspace, t.name)],
);

/** One managed instance of an imported state, sensitive values already replaced by hashes. */
export const stateInstances = pgTable(
  'state_instances',
  {
    stateId: text('state_id').notNull(),
    seq: integer('seq').notNull(),
    tfType: text('tf_type').notNull(),
    address: text('address').notNull(),
    /** Lower-case cloud account, when the state tells it: analyses are split by account. */
    account: text('account'),
    body: jsonb('body').$type<StateInstance>().notNull(),
    /** Where the instance is analysed when its account is analysed in parts (engine/partition.ts); null on rows written before. */
    slot: integer('slot'),
  },
  (t) => [
    primaryKey({ columns: [t.stateId, t.seq] }),
    index('state_instances_account_idx').on(t.account),
    index('state_instances_slot_idx').on(t.stateId, t.slot),
  ],
);

/** The drift items of a job's analysis, in report order. */
export const driftItems = pgTable(
  'drift_items',
  {
    jobId: text('job_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<DriftItem['kind']>().notNull(),
    severity: text('severity').$type<DriftItem['severity']>().notNull(),
    score: doublePrecision('score').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account'),
    region: text('region'),
    tfType: text('tf_type').notNull(),
    cloudType: text('cloud_type').notNull(),
    address: text('address').notNull(),
    resourceId: text('resource_id').notNull(),
    body: jsonb('body').$type<DriftItem>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.seq] }),
    index('drift_items_kind_idx').on(t.jobId, t.kind, t.seq),
    index('drift_items_severity_idx').on(t.jobId, t.severity, t.seq),
  ],
);

/** One analysis per job: its summary counts, kept as the trend point after detail is pruned. */
export const analyses = pgTable(
  'analyses',
  {
    jobId: text('job_id').primaryKey(),
    provider: text('provider').$type<Provider>().notNull(),
    mode: text('mode').$type<DriftSummary['mode']>().notNull(),
    summary: jsonb('summary').$type<DriftSummary>().notNull(),
    duplicates: jsonb('duplicates').$type<DuplicateFinding[]>().notNull(),
    completedAt: instant('completed_at').notNull(),
  },
  // The trends window and "latest per provider" read completed_at with or without a provider.
  (t) => [
    index('analyses_completed_idx').on(t.provider, t.completedAt),
    index('analyses_completed_at_idx').on(t.completedAt),
  ],
);

/** Resources per scope, recomputed after each analysis so the summary never scans the inventory. */
export const resourceCounts = pgTable(
  'resource_counts',
  {
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
    region: text('region').notNull(),
    type: text('type').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.account, t.region, t.type] })],
);

/** Content fingerprints of the last analysis of each resource, for incremental mode. */
export const fingerprints = pgTable(
  'fingerprints',
  {
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    provider: text('provider').$type<Provider>().notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.key] })],
);

/** Deployment-wide settings kept as JSON by key (the ignore rules). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** Where new drift is announced: signed webhooks and Slack incoming webhooks. */
export const notifications = pgTable('notifications', {
  notificationId: text('notification_id').primaryKey(),
  /** The tenant the row belongs to (contract/tenants.ts). */
  tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
  type: text('type').$type<NotificationType>().notNull(),
  url: text('url').notNull(),
  minSeverity: text('min_severity').$type<Severity>().notNull(),
  /** The key deliveries are signed with: kept in clear because signing needs it; no API answer shows it. */
  secret: text('secret'),
  createdAt: instant('created_at').notNull(),
});

/** The targets told of each job's drift, so a completion announced twice is delivered once. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    notificationId: text('notification_id').notNull(),
    jobId: text('job_id').notNull(),
    deliveredAt: instant('delivered_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.jobId] })],
);

/**
 * API tokens. Only a SHA-256 of each token is kept; the token itself is shown once, when made.
 * Agent tokens carry their provider and accounts; a null tenant_id is the default tenant.
 */
export const apiTokens = pgTable('api_tokens', {
  tokenId: text('token_id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  role: text('role').$type<Role>().notNull(),
  tenantId: text('tenant_id'),
  provider: text('provider').$type<Provider>(),
  accounts: jsonb('accounts').$type<string[]>(),
  requireProof: boolean('require_proof').notNull().default(false),
  description: text('description'),
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull(),
  expiresAt: instant('expires_at'),
  revokedAt: instant('revoked_at'),
});

/** Every mutating API call: who, what (method, route, target id), when, and its status; never a body. */
export const auditLog = pgTable('audit_log', {
  /** Time-ordered, so the log pages newest first on its key alone. */
  auditId: text('audit_id').primaryKey(),
  at: instant('at').notNull(),
  actor: text('actor').notNull(),
  method: text('method').notNull(),
  route: text('route').notNull(),
  target: text('target'),
  status: integer('status').notNull(),
});

/**
 * Where Terraform keeps state, read by the agents of one provider and account. A read is due at
 * next_read_at (registration, a schedule's next firing, a retry); an agent holds it under lease_id
 * until lease_expires_at; attempts counts the leases of the read in progress.
 */
export const stateSources = pgTable(
  'state_sources',
  {
    sourceId: text('source_id').primaryKey(),
    /** The tenant the row belongs to (contract/tenants.ts). */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    type: text('type').$type<StateSourceType>().notNull(),
    location: text('location').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
    schedule: text('schedule'),
    replaceOtherLineage: boolean('replace_other_lineage').notNull().default(false),
    createdAt: instant('created_at').notNull(),
    nextReadAt: instant('next_read_at'),
    leaseId: text('lease_id'),
    leaseExpiresAt: instant('lease_expires_at'),
    agentId: text('agent_id'),
    attempts: integer('attempts').notNull().default(0),
    lastRead: jsonb('last_read').$type<StateReadSummary>(),
  },
  (t) => [index('state_sources_due_idx').on(t.provider, t.account, t.nextReadAt)],
);

/**
 * A streamed state import (POST /api/v1/import of a large state): its files wait in the upload
 * bucket until the queue consumer has read them; `result` or `error` is what the import answers.
 */
export const imports = pgTable('imports', {
  importId: text('import_id').primaryKey(),
  /** The tenant the row belongs to (contract/tenants.ts). */
  tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
  status: text('status').$type<ImportStatus>().notNull(),
  workspace: text('workspace').notNull(),
  replace: boolean('replace').notNull(),
  files: jsonb('files').$type<ImportFile[]>().notNull(),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  finishedAt: instant('finished_at'),
  result: jsonb('result').$type<NonNullable<ImportJob['result']>>(),
  error: jsonb('error').$type<NonNullable<ImportJob['error']>>(),
});

/** Tenants made by the bootstrap admin; `default` is built in and has no row. */
export const tenants = pgTable('tenants', {
  tenantId: text('tenant_id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: instant('created_at').notNull(),
});
