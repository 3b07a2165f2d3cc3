import { createRoute } from '@hono/zod-openapi';
import { DiscoveryAccepted, DiscoveryRequest } from '../../contract/api.js';
import { ErrorBody } from '../../contract/errors.js';
import { startDiscovery } from '../../orchestrator-do/start-discovery.js';
import { unwrap } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';

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
  const job = unwrap(await startDiscovery(c.env, c.req.valid('json'), { tenant: tenantOf(c.get('principal')) }));
  return c.json({ job_id: job.job_id, status: job.status, shards: job.counts.shards_total }, 202);
});
