import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
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

/**
 * The D1 side of the control plane. Durable Objects own live job state; these tables are
 * the index that lets the API list jobs and query resources without waking every object.
 * JSON columns are text in SQLite; drizzle encodes and decodes them (`mode: 'json'`).
 */
export const jobs = sqliteTable(
  'jobs',
  {
    jobId: text('job_id').primaryKey(),
    /** The tenant the row belongs to (contract/tenants.ts). */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    provider: text('provider').$type<Provider>().notNull(),
    status: text('status').$type<JobSummary['status']>().notNull(),
    accounts: text('accounts', { mode: 'json' }).$type<string[]>().notNull(),
    regions: text('regions', { mode: 'json' }).$type<string[]>().notNull(),
    resourceTypes: text('resource_types', { mode: 'json' }).$type<string[]>().notNull(),
    mode: text('mode').$type<JobSummary['mode']>().notNull(),
    shardingType: text('sharding_type').$type<JobSummary['sharding']['type']>().notNull(),
    shardSize: integer('shard_size').notNull(),
    shardsTotal: integer('shards_total').notNull().default(0),
    shardsSucceeded: integer('shards_succeeded').notNull().default(0),
    shardsFailed: integer('shards_failed').notNull().default(0),
    shardsCancelled: integer('shards_cancelled').notNull().default(0),
    resourcesDiscovered: integer('resources_discovered').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    finishedAt: text('finished_at'),
    error: text('error'),
    /** The schedule that started the job; null for a job started by hand. */
    scheduleId: text('schedule_id'),
  },
  (t) => [
    index('jobs_created_idx').on(t.createdAt),
    index('jobs_status_idx').on(t.status, t.provider),
    index('jobs_schedule_idx').on(t.scheduleId, t.createdAt),
    index('jobs_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

/** Which accounts a job covers, so an agent's dispatcher finds the jobs it can serve. */
export const jobAccounts = sqliteTable(
  'job_accounts',
  {
    jobId: text('job_id').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.account] }), index('job_accounts_account_idx').on(t.provider, t.account)],
);

/** Agents seen by the lease endpoint; a discovery request without accounts uses these. */
export const agents = sqliteTable(
  'agents',
  {
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account').notNull(),
    agentId: text('agent_id').notNull(),
    /** Accounts are known per tenant: the tenant of the agent token that leased for it. */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    lastSeenAt: text('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.account, t.agentId] })],
);

/** The inventory: the latest sighting of every discovered resource, keyed by its stable key. */
export const resources = sqliteTable(
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
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    tags: text('tags', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    firstSeenJob: text('first_seen_job').notNull(),
    lastSeenJob: text('last_seen_job').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.resourceKey] }),
    index('resources_scope_idx').on(t.provider, t.account, t.region, t.type),
    index('resources_job_idx').on(t.lastSeenJob, t.resourceKey),
    index('resources_type_idx').on(t.type, t.resourceKey),
    index('resources_account_idx').on(t.account, t.resourceKey),
  ],
);

/**
 * What one job discovered, exactly as that job saw it: its analysis reads these rows, whatever
 * other jobs of the same accounts write meanwhile. Rows live only while the job's analysis of
 * an account is pending; once recorded they are merged into `resources` (the latest sighting
 * wins) and dropped, so the table holds the jobs in flight, not a row per resource per job.
 */
export const jobResources = sqliteTable(
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
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    tags: text('tags', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    seenAt: text('seen_at').notNull(),
    /** Where the resource is analysed when its account is analysed in parts (engine/partition.ts); null on rows written before. */
    slot: integer('slot'),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.resourceKey] }),
    index('job_resources_account_idx').on(t.jobId, t.account, t.resourceKey),
    index('job_resources_slot_idx').on(t.jobId, t.account, t.slot, t.resourceKey),
  ],
);

/**
 * The life of each drift item across the analyses of one account: when it was first seen, the
 * last analysis that still saw it, and the one that found it gone. One row per item, not per
 * analysis. `itemKey` is `<kind>:<resource_key or address>`.
 */
export const driftTracks = sqliteTable(
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
    firstSeenAt: text('first_seen_at').notNull(),
    lastSeenJob: text('last_seen_job').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    resolvedJob: text('resolved_job'),
    resolvedAt: text('resolved_at'),
    /** Fingerprint of the item's changes: an acknowledgement lasts until it changes. */
    changeFingerprint: text('change_fingerprint').notNull(),
    item: text('item', { mode: 'json' }).$type<DriftItem>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.provider, t.account, t.itemKey] }),
    index('drift_tracks_resolved_idx').on(t.resolvedJob, t.itemKey),
  ],
);

/** Drift someone acknowledged: silenced until its changes differ or `until` passes. */
export const driftAcks = sqliteTable(
  'drift_acks',
  {
    /** The tenant whose item was acknowledged: an acknowledgement silences that tenant's items only. */
    tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
    /** The item's resource_key, or its address for a missing resource. */
    resourceKey: text('resource_key').notNull(),
    reason: text('reason').notNull(),
    until: text('until'),
    changeFingerprint: text('change_fingerprint').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.resourceKey] })],
);

/** Queue messages that could not be processed, with the reason, for operators to inspect. */
export const deadLetters = sqliteTable('dead_letters', {
  messageId: text('message_id').primaryKey(),
  queue: text('queue').notNull(),
  reason: text('reason').notNull(),
  body: text('body', { mode: 'json' }).notNull(),
  receivedAt: text('received_at').notNull(),
});

/** An import's states are `importing` until their instances are all written. */
export type StateStatus = 'importing' | 'active' | 'superseded';

/**
 * Imported Terraform states. An import writes its instances under a new state id while the
 * row is `importing`, then flips it to `active` (and the previous version of the same
 * workspace/name to `superseded`) in one atomic batch, so no reader sees half a state.
 */
export const states = sqliteTable(
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
    serial: integer('serial'),
    lineage: text('lineage'),
    instances: integer('instances').notNull(),
    dataSourcesSkipped: integer('data_sources_skipped').notNull(),
    importedAt: text('imported_at').notNull(),
  },
  (t) => [index('states_active_idx').on(t.status, t.workspace, t.name)],
);

/** One managed instance of an imported state, sensitive values already replaced by hashes. */
export const stateInstances = sqliteTable(
  'state_instances',
  {
    stateId: text('state_id').notNull(),
    seq: integer('seq').notNull(),
    tfType: text('tf_type').notNull(),
    address: text('address').notNull(),
    /** Lower-case cloud account, when the state tells it: analyses are split by account. */
    account: text('account'),
    body: text('body', { mode: 'json' }).$type<StateInstance>().notNull(),
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
export const driftItems = sqliteTable(
  'drift_items',
  {
    jobId: text('job_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<DriftItem['kind']>().notNull(),
    severity: text('severity').$type<DriftItem['severity']>().notNull(),
    score: integer('score').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    account: text('account'),
    region: text('region'),
    tfType: text('tf_type').notNull(),
    cloudType: text('cloud_type').notNull(),
    address: text('address').notNull(),
    resourceId: text('resource_id').notNull(),
    body: text('body', { mode: 'json' }).$type<DriftItem>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.seq] }),
    index('drift_items_kind_idx').on(t.jobId, t.kind, t.seq),
    index('drift_items_severity_idx').on(t.jobId, t.severity, t.seq),
  ],
);

/** One analysis per job: its summary counts, kept as the trend point after detail is pruned. */
export const analyses = sqliteTable(
  'analyses',
  {
    jobId: text('job_id').primaryKey(),
    provider: text('provider').$type<Provider>().notNull(),
    mode: text('mode').$type<DriftSummary['mode']>().notNull(),
    summary: text('summary', { mode: 'json' }).$type<DriftSummary>().notNull(),
    duplicates: text('duplicates', { mode: 'json' }).$type<DuplicateFinding[]>().notNull(),
    completedAt: text('completed_at').notNull(),
  },
  (t) => [index('analyses_completed_idx').on(t.provider, t.completedAt)],
);

/** Resources per scope, recomputed after each analysis so the summary never scans the inventory. */
export const resourceCounts = sqliteTable(
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
export const fingerprints = sqliteTable(
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
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Where new drift is announced: signed webhooks and Slack incoming webhooks. */
export const notifications = sqliteTable('notifications', {
  notificationId: text('notification_id').primaryKey(),
  /** The tenant the row belongs to (contract/tenants.ts). */
  tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
  type: text('type').$type<NotificationType>().notNull(),
  url: text('url').notNull(),
  minSeverity: text('min_severity').$type<Severity>().notNull(),
  /** The key deliveries are signed with: kept in clear because signing needs it; no API answer shows it. */
  secret: text('secret'),
  createdAt: text('created_at').notNull(),
});

/** The targets told of each job's drift, so a completion announced twice is delivered once. */
export const notificationDeliveries = sqliteTable(
  'notification_deliveries',
  {
    notificationId: text('notification_id').notNull(),
    jobId: text('job_id').notNull(),
    deliveredAt: text('delivered_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.jobId] })],
);

/**
 * API tokens. Only a SHA-256 of each token is kept; the token itself is shown once, when made.
 * Agent tokens carry their provider and accounts; a null tenant_id is the default tenant.
 */
export const apiTokens = sqliteTable('api_tokens', {
  tokenId: text('token_id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  role: text('role').$type<Role>().notNull(),
  tenantId: text('tenant_id'),
  provider: text('provider').$type<Provider>(),
  accounts: text('accounts', { mode: 'json' }).$type<string[]>(),
  requireProof: integer('require_proof', { mode: 'boolean' }).notNull().default(false),
  description: text('description'),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at'),
  revokedAt: text('revoked_at'),
});

/** Every mutating API call: who, what (method, route, target id), when, and its status; never a body. */
export const auditLog = sqliteTable('audit_log', {
  /** Time-ordered, so the log pages newest first on its key alone. */
  auditId: text('audit_id').primaryKey(),
  at: text('at').notNull(),
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
export const stateSources = sqliteTable(
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
    replaceOtherLineage: integer('replace_other_lineage', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    nextReadAt: text('next_read_at'),
    leaseId: text('lease_id'),
    leaseExpiresAt: text('lease_expires_at'),
    agentId: text('agent_id'),
    attempts: integer('attempts').notNull().default(0),
    lastRead: text('last_read', { mode: 'json' }).$type<StateReadSummary>(),
  },
  (t) => [index('state_sources_due_idx').on(t.provider, t.account, t.nextReadAt)],
);

/**
 * A streamed state import (POST /api/v1/import of a large state): its files wait in the upload
 * bucket until the queue consumer has read them; `result` or `error` is what the import answers.
 */
export const imports = sqliteTable('imports', {
  importId: text('import_id').primaryKey(),
  /** The tenant the row belongs to (contract/tenants.ts). */
  tenantId: text('tenant_id').notNull().default(DEFAULT_TENANT),
  status: text('status').$type<ImportStatus>().notNull(),
  workspace: text('workspace').notNull(),
  replace: integer('replace', { mode: 'boolean' }).notNull(),
  files: text('files', { mode: 'json' }).$type<ImportFile[]>().notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  finishedAt: text('finished_at'),
  result: text('result', { mode: 'json' }).$type<NonNullable<ImportJob['result']>>(),
  error: text('error', { mode: 'json' }).$type<NonNullable<ImportJob['error']>>(),
});

/** Tenants made by the bootstrap admin; `default` is built in and has no row. */
export const tenants = sqliteTable('tenants', {
  tenantId: text('tenant_id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: text('created_at').notNull(),
});
