import { z } from 'zod';
import { ShardingType } from './api.js';
import { AnalysisMode } from './drift.js';
import { Provider } from './resource.js';
import { DEFAULT_TENANT } from './tenants.js';

/** A job as the gateway accepted it, with its accounts and resource types resolved. */
export const JobSpec = z.object({
  job_id: z.string(),
  provider: Provider,
  accounts: z.array(z.string()),
  regions: z.array(z.string()),
  resource_types: z.array(z.string()),
  mode: AnalysisMode,
  sharding: z.object({ type: ShardingType, shard_size: z.number().int() }),
  /** The schedule that started the job; absent for a job started by hand. */
  schedule_id: z.string().optional(),
  /** The tenant the job and its shards belong to; absent: the default tenant. */
  tenant_id: z.string().optional(),
});
export type JobSpec = z.infer<typeof JobSpec>;

/** The tenant a job belongs to. */
export const tenantOfJob = (spec: Pick<JobSpec, 'tenant_id'>): string => spec.tenant_id ?? DEFAULT_TENANT;

/** A chunk part the queue consumer has written to the database, reported to its job coordinator. */
export const PersistedPart = z.object({
  shard_id: z.string(),
  attempt: z.number().int(),
  sequence: z.number().int(),
  part: z.number().int(),
});
export type PersistedPart = z.infer<typeof PersistedPart>;
