import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { ImportJob } from '../../contract/imports.js';
import { storeFor } from '../../storage/index.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';
import { tenantOf } from '../principal.js';

const getRoute = createRoute({
  method: 'get',
  path: '/imports/{import_id}',
  tags: ['states'],
  summary: 'A streamed state import: its status and, once it ends, the answer or error of the import',
  security: bearerSecurity,
  request: { params: z.object({ import_id: z.string().min(1).max(100) }) },
  responses: { 200: json(ImportJob, 'The import'), ...errorResponses, 404: json(ErrorBody, 'No such import') },
});

export const importJobRoutes = createRouter();

importJobRoutes.openapi(getRoute, async (c) => {
  const { import_id } = c.req.valid('param');
  const job = await storeFor(c.env).getImport(tenantOf(c.get('principal')), import_id);
  if (!job) throw new ApiError(404, ErrorCode.notFound, `no import ${import_id}`);
  return c.json(job, 200);
});
