import { createRoute } from '@hono/zod-openapi';
import { Lease, LeaseRequest } from '../../contract/agent-protocol.js';
import { agentDispatcher } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';

const leaseRoute = createRoute({
  method: 'post',
  path: '/agents/lease',
  tags: ['agents'],
  summary: 'Long-poll for a shard this agent may serve',
  description: 'Waits up to wait_seconds (at most 25) for work. Answers 200 with a lease, or 204 when none came.',
  security: bearerSecurity,
  request: jsonBody(LeaseRequest),
  responses: {
    200: json(Lease, 'A shard under a fresh lease'),
    204: { description: 'No work within the wait' },
    ...errorResponses,
  },
});

export const agentRoutes = createRouter().openapi(leaseRoute, async (c) => {
  const req = c.req.valid('json');
  await storeFor(c.env).recordAgent(req.provider, req.account, req.agent_id, new Date().toISOString());
  const lease = await agentDispatcher(c.env, req.provider, req.account).lease(req);
  return lease ? c.json(lease, 200) : c.body(null, 204);
});
