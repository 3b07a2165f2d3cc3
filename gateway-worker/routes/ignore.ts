import { createRoute } from '@hono/zod-openapi';
import { IgnoreRules } from '../../contract/ignore.js';
import { storeFor } from '../../storage/index.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';

const getRoute = createRoute({
  method: 'get',
  path: '/ignore',
  tags: ['drift'],
  summary: 'The ignore rules every analysis applies (.driftignore and attribute rules)',
  security: bearerSecurity,
  responses: { 200: json(IgnoreRules, 'The current rules'), ...errorResponses },
});

const putRoute = createRoute({
  method: 'put',
  path: '/ignore',
  tags: ['drift'],
  summary: 'Replace the ignore rules; the next analysis applies them',
  security: bearerSecurity,
  request: jsonBody(IgnoreRules),
  responses: { 200: json(IgnoreRules, 'The rules now in force'), ...errorResponses },
});

export const ignoreRoutes = createRouter()
  .openapi(getRoute, async (c) => c.json(await storeFor(c.env).getIgnoreRules(tenantOf(c.get('principal'))), 200))
  .openapi(putRoute, async (c) => {
    const rules = c.req.valid('json');
    await storeFor(c.env).putIgnoreRules(tenantOf(c.get('principal')), rules, new Date().toISOString());
    return c.json(rules, 200);
  });
