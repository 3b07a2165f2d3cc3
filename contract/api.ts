import { z } from 'zod';
import { AnalysisMode, Severity } from './drift.js';
import { Provider } from './resource.js';

export const JobStatus = z.enum(['pending', 'running', 'analyzing', 'completed', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;
export const ShardStatus = z.enum(['pending', 'leased', 'succeeded', 'failed', 'cancelled']);
export type ShardStatus = z.infer<typeof ShardStatus>;
export const ShardingType = z.enum(['region', 'resource-type', 'account']);

export const DiscoveryRequest = z.object({
  provider: Provider,
  accounts: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
  regions: z.array(z.string().min(1).max(100)).min(1).max(100),
  resource_types: z.array(z.string().min(1)).min(1).max(100).optional(),
  mode: AnalysisMode.default('smart'),
  sharding: z
    .object({
      type: ShardingType.default('region'),
      shard_size: z.number().int().min(1).max(100_000).default(1000),
    })
    .default({ type: 'region', shard_size: 1000 }),
});
export type DiscoveryRequest = z.infer<typeof DiscoveryRequest>;

export const ShardView = z.object({
  shard_id: z.string(),
  account: z.string(),
  region: z.string(),
  resource_types: z.array(z.string()),
  status: ShardStatus,
  attempts: z.number().int(),
  resources: z.number().int(),
  agent_id: z.string().nullable(),
  last_error: z.string().nullable(),
  parent_shard_id: z.string().nullable(),
});
export type ShardView = z.infer<typeof ShardView>;

export const JobCounts = z.object({
  shards_total: z.number().int(),
  shards_pending: z.number().int(),
  shards_leased: z.number().int(),
  shards_succeeded: z.number().int(),
  shards_failed: z.number().int(),
  shards_cancelled: z.number().int(),
  resources_discovered: z.number().int(),
});
export type JobCounts = z.infer<typeof JobCounts>;

export const JobSummary = z.object({
  job_id: z.string(),
  status: JobStatus,
  provider: Provider,
  accounts: z.array(z.string()),
  regions: z.array(z.string()),
  resource_types: z.array(z.string()),
  mode: AnalysisMode,
  sharding: z.object({ type: ShardingType, shard_size: z.number().int() }),
  counts: JobCounts,
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  /** The schedule that started the job; null for a job started by hand. */
  schedule_id: z.string().nullable(),
});
export type JobSummary = z.infer<typeof JobSummary>;

/** The headline counts of a completed job's drift analysis; the items are in /api/v1/drift. */
export const AnalysisHeadline = z.object({
  state_resources: z.number(),
  discovered_resources: z.number(),
  in_sync: z.number(),
  changed: z.number(),
  missing: z.number(),
  unmanaged: z.number(),
  coverage: z.number(),
  noise_filtered: z.number(),
  by_severity: z.record(Severity, z.number()),
});

export type AnalysisHeadline = z.infer<typeof AnalysisHeadline>;

/** Shards a job detail lists when `shards_limit` is not given, and the most it lists. */
export const JOB_SHARDS_PAGE = { default: 100, max: 1000 } as const;

/**
 * A job with one page of its shards, in plan order: a 10,000-shard job would otherwise be
 * megabytes a poll. `counts` always cover every shard; `shards_next_cursor`, passed back as
 * `shards_cursor`, reads the next page (null on the last).
 */
export const JobDetail = JobSummary.extend({
  shards: z.array(ShardView),
  shards_next_cursor: z.string().nullable(),
  analysis: AnalysisHeadline.nullable(),
});
export type JobDetail = z.infer<typeof JobDetail>;

export const DiscoveryAccepted = z.object({
  job_id: z.string(),
  status: JobStatus,
  shards: z.number().int(),
});

export const JobList = z.object({ jobs: z.array(JobSummary), next_cursor: z.string().nullable() });
