import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../contract/errors.js';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';

const encoder = new TextEncoder();

/** Compares secrets in constant time so response timing does not leak a token's prefix. */
function sameSecret(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}

/**
 * Bearer-token authentication for every /api/v1 route. For now the bootstrap secret
 * DRIFTMGR_ADMIN_TOKEN grants everything, to users and agents alike.
 */
export const requireBearerToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.DRIFTMGR_ADMIN_TOKEN;
  if (!expected) {
    throw new ApiError(503, ErrorCode.unavailable, 'DRIFTMGR_ADMIN_TOKEN is not configured on this deployment');
  }
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match || !sameSecret(match[1]!.trim(), expected)) {
    c.header('WWW-Authenticate', 'Bearer realm="driftmgr"');
    throw new ApiError(401, ErrorCode.unauthorized, 'missing or invalid bearer token');
  }
  await next();
};
