import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { DEFAULT_TENANT } from '../../contract/tenants.js';
import { BOOTSTRAP_ACTOR, TokenCreated, TokenCreateRequest, TokenList } from '../../contract/tokens.js';
import type { StoredToken } from '../../storage/access.js';
import { storeFor } from '../../storage/index.js';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { type Principal, tenantOf } from '../principal.js';
import { mintToken } from '../token-secrets.js';

const createTokenRoute = createRoute({
  method: 'post',
  path: '/tokens',
  tags: ['tokens'],
  summary: 'Make an API token (admin only); the token is in this answer and nowhere else, ever',
  security: bearerSecurity,
  request: jsonBody(TokenCreateRequest),
  responses: { 201: json(TokenCreated, 'The token and what it may do'), ...errorResponses },
});

const listRoute = createRoute({
  method: 'get',
  path: '/tokens',
  tags: ['tokens'],
  summary: 'Every token in the order they were made, revoked and expired ones included; never a secret',
  security: bearerSecurity,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().optional(),
    }),
  },
  responses: { 200: json(TokenList, 'A page of tokens'), ...errorResponses },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  tags: ['tokens'],
  summary: 'Revoke a token: the next call with it is refused (401)',
  security: bearerSecurity,
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: {
    204: { description: 'Revoked (or revoked before)' },
    ...errorResponses,
    404: json(ErrorBody, 'No such token'),
  },
});

/**
 * The tenant a new token acts in. A tenant's admin makes tokens of its own tenant only (403 for
 * any other, made or not, so nobody learns which tenants exist); the bootstrap token makes them
 * for any tenant made (422 for one that is not). Null: the default tenant, as before tenants.
 */
async function tenantOfNewToken(c: Context<AppEnv>, asked: string | undefined): Promise<string | null> {
  const principal = c.get('principal');
  const own = tenantOf(principal);
  if (asked === undefined || asked === own) return principal.tenantId;
  if (principal.actor !== BOOTSTRAP_ACTOR) {
    throw new ApiError(403, ErrorCode.forbidden, `tenant_id: this token may make tokens of tenant ${own} only`);
  }
  if (asked !== DEFAULT_TENANT && !(await storeFor(c.env).tenantExists(asked))) {
    throw new ApiError(
      422,
      ErrorCode.unprocessable,
      `tenant_id: no tenant ${asked}; make it with POST /api/v1/tenants`,
    );
  }
  return asked === DEFAULT_TENANT ? null : asked;
}

/** Whose tokens a caller lists and revokes: the bootstrap token every tenant's, others their own tenant's. */
function tokenTenantScope(principal: Principal): string | undefined {
  return principal.actor === BOOTSTRAP_ACTOR ? undefined : tenantOf(principal);
}

export const tokenRoutes = createRouter()
  .openapi(createTokenRoute, async (c) => {
    const req = c.req.valid('json');
    const tenantId = await tenantOfNewToken(c, req.tenant_id);
    const { id, token, secret_hash } = await mintToken();
    const now = Date.now();
    const stored: StoredToken = {
      id,
      secret_hash,
      role: req.role,
      tenant_id: tenantId,
      provider: req.provider ?? null,
      accounts: req.accounts ?? null,
      require_proof: req.require_proof ?? false,
      description: req.description ?? null,
      created_by: c.get('principal').actor,
      created_at: new Date(now).toISOString(),
      expires_at: req.expires_in === undefined ? null : new Date(now + req.expires_in * 1000).toISOString(),
      revoked_at: null,
    };
    await storeFor(c.env).createToken(stored);
    const { secret_hash: _, ...info } = stored;
    return c.json({ ...info, token }, 201);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, 1)[0] : undefined;
    const rows = await storeFor(c.env).listTokens({
      limit: q.limit + 1,
      after,
      tenant: tokenTenantScope(c.get('principal')),
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return c.json({ tokens: page, next_cursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null }, 200);
  })
  .openapi(revokeRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await storeFor(c.env).revokeToken(id, new Date().toISOString(), tokenTenantScope(c.get('principal'))))) {
      throw new ApiError(404, ErrorCode.notFound, `token ${id} not found`);
    }
    return c.body(null, 204);
  });
