import { createRoute } from '@hono/zod-openapi';
import { DiscoveryAccepted, DiscoveryRequest } from '../../contract/api.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { newJobId } from '../../contract/ids.js';
import type { JobSpec } from '../../contract/job.js';
import { MAX_SHARDS } from '../../contract/limits.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { countShards, resolveTypes } from '../../orchestrator-do/shard-plan.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';

/** Agents seen within this window count as the provider's known accounts. */
const KNOWN_AGENT_WINDOW_MS = 24 * 3600 * 1000;

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

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

export const discoveryRoutes = createRouter().openapi(route, async (c) => {
  const req = c.req.valid('json');
  const { types, unknown } = resolveTypes(req.provider, unique(req.resource_types ?? resourceTypesOf(req.provider).map((t) => t.type)));
  if (unknown.length > 0) {
    const known = resourceTypesOf(req.provider).map((t) => t.type);
    throw new ApiError(400, ErrorCode.badRequest, `resource_types: unknown ${req.provider} type(s) ${unknown.join(', ')}`, { known });
  }
  const store = storeFor(c.env);
  const since = new Date(Date.now() - KNOWN_AGENT_WINDOW_MS).toISOString();
  const accounts = unique(req.accounts ?? (await store.accountsSeenSince(req.provider, since)));
  if (accounts.length === 0) {
    throw new ApiError(
      422,
      ErrorCode.unprocessable,
      `accounts: none given and no ${req.provider} agent has connected in the last 24 h; pass accounts or start an agent`,
    );
  }
  const regions = unique(req.regions);
  // Counted, not planned: a request far over the limit costs no more than one within it.
  const shards = countShards({ accounts, regions, types, strategy: req.sharding.type });
  if (shards > MAX_SHARDS) {
    throw new ApiError(422, ErrorCode.unprocessable, `the job would have ${shards} shards; at most ${MAX_SHARDS}: split it by account`);
  }
  const spec: JobSpec = {
    job_id: newJobId(),
    provider: req.provider,
    accounts,
    regions,
    resource_types: types.map((t) => t.type),
    mode: req.mode,
    sharding: req.sharding,
  };
  // The coordinator plans its own shards from the spec. The job is indexed only once it
  // accepted, so a refused or failed create leaves no index row naming a job nobody holds.
  const coordinator = jobCoordinator(c.env, spec.job_id);
  const job = await coordinator.create(spec);
  await store.indexJob(spec, job.created_at);
  await coordinator.syncIndex();
  return c.json({ job_id: job.job_id, status: job.status, shards: job.counts.shards_total }, 202);
});
