import type { DiscoveryRequest, JobSummary } from '../contract/api.js';
import { ErrorCode } from '../contract/errors.js';
import { newJobId } from '../contract/ids.js';
import type { JobSpec } from '../contract/job.js';
import { MAX_SHARDS } from '../contract/limits.js';
import { type ResourceTypeInfo, resourceTypesOf } from '../contract/resource-types.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import { storeFor } from '../storage/index.js';
import { ok, type RpcResult, refuse } from './rpc-result.js';
import { countShards, resolveTypes } from './shard-plan.js';
import { jobCoordinator } from './stubs.js';

/** Agents seen within this window count as the provider's known accounts. */
const KNOWN_AGENT_WINDOW_MS = 24 * 3600 * 1000;

/** Who starts a job beside its request: a schedule passes its id and the job id it claimed. */
export interface StartOptions {
  jobId?: string;
  scheduleId?: string;
  /** The tenant the job belongs to; absent: the default tenant. */
  tenant?: string;
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/**
 * Starts a discovery job as POST /api/v1/discovery does: resolves types and accounts, refuses
 * a job over the shard limit before planning any, has the coordinator plan and create it, then
 * indexes it. Refusals come back as values, each naming the request field at fault.
 */
export async function startDiscovery(
  env: Env,
  req: DiscoveryRequest,
  options: StartOptions = {},
): Promise<RpcResult<JobSummary>> {
  const types = requestedTypes(req);
  if (!types.ok) return types;
  const store = storeFor(env);
  const since = new Date(Date.now() - KNOWN_AGENT_WINDOW_MS).toISOString();
  const tenant = options.tenant ?? DEFAULT_TENANT;
  // Without accounts, the job covers those the tenant's agents connected for.
  const accounts = unique(req.accounts ?? (await store.accountsSeenSince(req.provider, since, tenant)));
  if (accounts.length === 0) {
    return refuse(
      422,
      ErrorCode.unprocessable,
      `accounts: none given and no ${req.provider} agent has connected in the last 24 h; pass accounts or start an agent`,
    );
  }
  const regions = unique(req.regions);
  const tooBig = shardLimitRefusal(req, accounts, types.value);
  if (tooBig) return tooBig;
  const spec: JobSpec = {
    job_id: options.jobId ?? newJobId(),
    provider: req.provider,
    accounts,
    regions,
    resource_types: types.value.map((t) => t.type),
    mode: req.mode,
    sharding: req.sharding,
    ...(options.scheduleId ? { schedule_id: options.scheduleId } : {}),
    ...(tenant === DEFAULT_TENANT ? {} : { tenant_id: tenant }),
  };
  // The coordinator plans its own shards from the spec. The job is indexed only once it
  // accepted, so a refused or failed create leaves no index row naming a job nobody holds.
  const coordinator = jobCoordinator(env, spec.job_id);
  const job = await coordinator.create(spec);
  await store.indexJob(spec, job.created_at);
  await coordinator.syncIndex();
  return ok(job);
}

/**
 * What can be refused of a request before it runs: unknown types, and with accounts given, the
 * shard limit. A schedule checks this when it is created; its accounts may be known only later.
 * `at` is where the request sits in the body, so messages name the field in full.
 */
export function checkDiscovery(req: DiscoveryRequest, at: string): RpcResult<null> {
  const types = requestedTypes(req, at);
  if (!types.ok) return types;
  if (!req.accounts) return ok(null);
  return shardLimitRefusal(req, unique(req.accounts), types.value, at) ?? ok(null);
}

/** `field` of the request found at `at` in the body. */
const fieldName = (at: string, field: string) => (at ? `${at}.${field}` : field);

/** The catalog entries of the requested types (every type of the provider when none are named). */
function requestedTypes(req: DiscoveryRequest, at = ''): RpcResult<ResourceTypeInfo[]> {
  const known = resourceTypesOf(req.provider).map((t) => t.type);
  const { types, unknown } = resolveTypes(req.provider, unique(req.resource_types ?? known));
  if (unknown.length > 0) {
    const message = `${fieldName(at, 'resource_types')}: unknown ${req.provider} type(s) ${unknown.join(', ')}`;
    return refuse(400, ErrorCode.badRequest, message, { known });
  }
  return ok(types);
}

/** Counted, not planned: a request far over the limit costs no more than one within it. */
function shardLimitRefusal(req: DiscoveryRequest, accounts: string[], types: ResourceTypeInfo[], at = '') {
  const shards = countShards({ accounts, regions: unique(req.regions), types, strategy: req.sharding.type });
  if (shards <= MAX_SHARDS) return null;
  const prefix = at ? `${at}: ` : '';
  return refuse(
    422,
    ErrorCode.unprocessable,
    `${prefix}the job would have ${shards} shards; at most ${MAX_SHARDS}: split it by account`,
  );
}
