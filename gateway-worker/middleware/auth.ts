import type { Context, MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../contract/errors.js';
import { tokenIdOf } from '../../contract/tokens.js';
import { storeFor } from '../../storage/index.js';
import { matchedRoute, principalMayCall } from '../access.js';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';
import { BOOTSTRAP, type Principal, principalOfToken } from '../principal.js';
import { hashToken, sameSecret } from '../token-secrets.js';

/** Paths where a request that reaches no route still needs a token, so probing learns nothing. */
const API_PREFIX = '/api/v1/';

function unauthorized(c: Context<AppEnv>, message: string): ApiError {
  c.header('WWW-Authenticate', 'Bearer realm="driftmgr"');
  return new ApiError(401, ErrorCode.unauthorized, message);
}

/**
 * Who a bearer token speaks for: the bootstrap secret DRIFTMGR_ADMIN_TOKEN, or a token from
 * storage, read on every call so a revocation holds from the next request on. The token's
 * hash is compared in constant time; an unknown, revoked or expired token is a 401.
 */
async function principalOf(c: Context<AppEnv>): Promise<Principal> {
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  const presented = match?.[1]?.trim();
  if (!presented) throw unauthorized(c, 'missing or invalid bearer token');
  const bootstrap = c.env.DRIFTMGR_ADMIN_TOKEN;
  if (bootstrap && sameSecret(presented, bootstrap)) return BOOTSTRAP;
  const id = tokenIdOf(presented);
  const stored = id ? await storeFor(c.env).getToken(id) : null;
  if (!stored || !sameSecret(await hashToken(presented), stored.secret_hash)) {
    throw unauthorized(c, 'missing or invalid bearer token');
  }
  if (stored.revoked_at) throw unauthorized(c, 'the token was revoked');
  if (stored.expires_at && Date.parse(stored.expires_at) <= Date.now()) throw unauthorized(c, 'the token expired');
  return principalOfToken(stored);
}

/**
 * Finds the route a request reaches and, unless the table (gateway-worker/access.ts) says it
 * is public, who is calling. Requests that reach no route outside /api/v1 pass to the 404.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const route = matchedRoute(c);
  c.set('route', route);
  const open = route ? route.access.need === 'public' : !c.req.path.startsWith(API_PREFIX);
  if (!open) c.set('principal', await principalOf(c));
  await next();
};

/** Refuses (403) a caller whose role does not give what the route needs. */
export const authorize: MiddlewareHandler<AppEnv> = async (c, next) => {
  const route = c.get('route');
  const principal = c.get('principal');
  if (route && principal && !principalMayCall(principal, route.access.need)) {
    throw new ApiError(
      403,
      ErrorCode.forbidden,
      route.access.need === 'bootstrap'
        ? `${route.method} ${route.path} is for the bootstrap token (DRIFTMGR_ADMIN_TOKEN) alone`
        : `${route.method} ${route.path} needs the ${route.access.need} permission, which role ${principal.role} lacks`,
    );
  }
  await next();
};
