import { createRoute, z } from '@hono/zod-openapi';
import { ExportDocument } from '../../contract/export.js';
import { storeFor } from '../../storage/index.js';
import { validationError } from '../errors.js';
import { exportStream } from '../inventory-export.js';
import { bearerSecurity, createRouter, errorResponses } from '../openapi.js';
import { tenantOf } from '../principal.js';

const exportRoute = createRoute({
  method: 'get',
  path: '/export',
  tags: ['inventory'],
  summary: 'The whole inventory, states and analyses as one JSON document (import it with POST /api/v1/import)',
  security: bearerSecurity,
  request: { query: z.object({ format: z.literal('json').default('json') }) },
  responses: {
    200: { description: 'A DriftMgr export document', content: { 'application/json': { schema: ExportDocument } } },
    ...errorResponses,
  },
});

export const exportRoutes = createRouter();

// A streamed document rather than a typed JSON body: documented, then served as a plain route.
exportRoutes.openAPIRegistry.registerPath(exportRoute);
exportRoutes.get('/export', (c) => {
  const query = exportRoute.request.query.safeParse(c.req.query());
  if (!query.success) throw validationError(query.error, 'query');
  return c.body(exportStream(storeFor(c.env), tenantOf(c.get('principal'))), 200, {
    'content-type': 'application/json',
    'content-disposition': `attachment; filename="driftmgr-export-${new Date().toISOString().slice(0, 10)}.json"`,
  });
});
