import { createRoute } from '@hono/zod-openapi';
import { DiscoveryAccepted, DiscoveryRequest } from '../../contract/api.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import type { JobSpec } from '../../orchestrator-do/job-coordinator.js';
import { planShards, resolveTypes } from '../../orchestrator-do/shard-plan.js';
import { ApiError } from '../errors.js';
import { newJobId } from '../ids.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { jobCoordinator } from '../stubs.js';

/** Agents seen within this window count as the provider's known accounts. */
const KNOWN_AGENT_WINDOW_MS = 24 * 3600 * 1000;
/** One job's shards must fit comfortably in its coordinator object. */
const MAX_SHARDS = 50_000;

const route = createRoute({
  method: 'post',
  path: '/discovery',
  tags: ['discovery'],
  summary: 'Start a discovery job',
  security: bearerSecurity,
  request: jsonBody(DiscoveryRequest),
  responses: {
    202: json(DiscoveryAccepted, 'The job was created and its shards are ready for agents'),
    ...errorResponses,
    422: json(ErrorBody, 'The request is well-formed but cannot be planned'),
  },
});

export const discoveryRoutes = createRouter().openapi(route, async (c) => {
  const req = c.req.valid('json');
  const { types, unknown } = resolveTypes(req.provider, req.resource_types ?? resourceTypesOf(req.provider).map((t) => t.type));
  if (unknown.length > 0) {
    const known = resourceTypesOf(req.provider).map((t) => t.type);
    throw new ApiError(400, ErrorCode.badRequest, `resource_types: unknown ${req.provider} type(s) ${unknown.join(', ')}`, { known });
  }
  const accounts = req.accounts ?? (await knownAccounts(c.env, req.provider));
  if (accounts.length === 0) {
    throw new ApiError(
      422,
      ErrorCode.unprocessable,
      `accounts: none given and no ${req.provider} agent has connected in the last 24 h; pass accounts or start an agent`,
    );
  }
  const seeds = planShards({ accounts: [...new Set(accounts)], regions: [...new Set(req.regions)], types, strategy: req.sharding.type });
  if (seeds.length > MAX_SHARDS) {
    throw new ApiError(422, ErrorCode.unprocessable, `the job would have ${seeds.length} shards; at most ${MAX_SHARDS}: split it by account`);
  }
  const spec: JobSpec = {
    job_id: newJobId(),
    provider: req.provider,
    accounts: [...new Set(accounts)],
    regions: [...new Set(req.regions)],
    resource_types: types.map((t) => t.type),
    mode: req.mode,
    sharding: req.sharding,
  };
  await indexJob(c.env, spec);
  const job = await jobCoordinator(c.env, spec.job_id).create(spec, seeds);
  return c.json({ job_id: job.job_id, status: job.status, shards: job.counts.shards_total }, 202);
});

async function knownAccounts(env: Env, provider: string): Promise<string[]> {
  const since = new Date(Date.now() - KNOWN_AGENT_WINDOW_MS).toISOString();
  const { results } = await env.DB.prepare(`SELECT DISTINCT account FROM agents WHERE provider = ? AND last_seen_at >= ? ORDER BY account`)
    .bind(provider, since)
    .all<{ account: string }>();
  return results.map((r) => r.account);
}

/** Writes the D1 index rows (one atomic batch) before the coordinator exists; leasing waits for it. */
async function indexJob(env: Env, spec: JobSpec): Promise<void> {
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO jobs (job_id, provider, status, accounts, regions, resource_types, mode, sharding_type, shard_size, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      spec.job_id,
      spec.provider,
      JSON.stringify(spec.accounts),
      JSON.stringify(spec.regions),
      JSON.stringify(spec.resource_types),
      spec.mode,
      spec.sharding.type,
      spec.sharding.shard_size,
      now,
      now,
    ),
    env.DB.prepare(`INSERT INTO job_accounts (job_id, provider, account) SELECT ?, ?, value FROM json_each(?)`).bind(
      spec.job_id,
      spec.provider,
      JSON.stringify(spec.accounts),
    ),
  ]);
}
