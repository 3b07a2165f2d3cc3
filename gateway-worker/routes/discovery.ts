import { createRoute } from '@hono/zod-openapi';
import { DiscoveryAccepted, DiscoveryRequest } from '../../contract/api.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import type { JobSpec } from '../../contract/job.js';
import { planShards, resolveTypes } from '../../orchestrator-do/shard-plan.js';
import { ApiError } from '../errors.js';
import { newJobId } from '../../contract/ids.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { storeFor } from '../../storage/index.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';

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
  const store = storeFor(c.env);
  const since = new Date(Date.now() - KNOWN_AGENT_WINDOW_MS).toISOString();
  const accounts = req.accounts ?? (await store.accountsSeenSince(req.provider, since));
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
  // The index row comes first; leasing waits until the coordinator exists.
  await store.indexJob(spec, new Date().toISOString());
  const job = await jobCoordinator(c.env, spec.job_id).create(spec, seeds);
  return c.json({ job_id: job.job_id, status: job.status, shards: job.counts.shards_total }, 202);
});
