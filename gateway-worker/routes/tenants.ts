import { createRoute } from '@hono/zod-openapi';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { newTenantId } from '../../contract/ids.js';
import { Tenant, TenantCreateRequest, TenantList } from '../../contract/tenants.js';
import { storeFor } from '../../storage/index.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';

const createTenantRoute = createRoute({
  method: 'post',
  path: '/tenants',
  tags: ['tenants'],
  summary: 'Make a tenant (bootstrap token only); then mint its first admin token with POST /tokens and its tenant_id',
  security: bearerSecurity,
  request: jsonBody(TenantCreateRequest),
  responses: {
    201: json(Tenant, 'The tenant'),
    ...errorResponses,
    409: json(ErrorBody, 'A tenant has that name already'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/tenants',
  tags: ['tenants'],
  summary: 'Every tenant made, oldest first (bootstrap token only); the built-in `default` is not listed',
  security: bearerSecurity,
  responses: { 200: json(TenantList, 'The tenants'), ...errorResponses },
});

export const tenantRoutes = createRouter()
  .openapi(createTenantRoute, async (c) => {
    const { name } = c.req.valid('json');
    const tenant: Tenant = { tenant_id: newTenantId(), name, created_at: new Date().toISOString() };
    if (!(await storeFor(c.env).createTenant(tenant))) {
      throw new ApiError(409, ErrorCode.tenantExists, `a tenant named ${JSON.stringify(name)} exists already`);
    }
    return c.json(tenant, 201);
  })
  .openapi(listRoute, async (c) => c.json({ tenants: await storeFor(c.env).listTenants() }, 200));
