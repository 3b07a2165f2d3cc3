import type { Context, MiddlewareHandler } from 'hono';
import type { AuditEntry } from '../../contract/audit.js';
import { newAuditId } from '../../contract/ids.js';
import { storeFor } from '../../storage/index.js';
import { auditPolicyOf, type MatchedRoute } from '../access.js';
import type { AppEnv } from '../app-env.js';

/**
 * Writes one audit entry per mutating call of an authenticated caller, after the handler (and
 * after a refusal: a 403 is worth recording too). The entry names the actor, the route pattern,
 * the target id (a path parameter, or the id a create answered with) and the status; never a
 * body, a query string or a token. A call is answered only once its entry is written.
 */
export const auditMutations: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const route = c.get('route');
  const principal = c.get('principal');
  if (!route || !principal) return;
  const policy = auditPolicyOf(route.method, route.access);
  const status = c.res.status;
  if (policy === 'none' || (policy === 'changes' && status === 204)) return;
  const now = Date.now();
  const entry: AuditEntry = {
    id: newAuditId(now),
    at: new Date(now).toISOString(),
    actor: principal.actor,
    method: route.method,
    route: route.path,
    target: await targetOf(c, route),
    status,
  };
  try {
    await storeFor(c.env).recordAudit(entry);
  } catch (err) {
    // The call itself happened: its answer stands, and the lost entry is logged in its place.
    console.error(JSON.stringify({ level: 'error', msg: 'audit entry not written', entry, error: String(err) }));
  }
};

/** The id the call acted on: the route's first path parameter, or the id a create answered with. */
async function targetOf(c: Context<AppEnv>, route: MatchedRoute): Promise<string | null> {
  const param = Object.values(route.params)[0];
  if (param !== undefined) return param;
  const field = route.access.created;
  if (!field || !c.res.ok || !c.res.headers.get('content-type')?.includes('application/json')) return null;
  const body: unknown = await c.res.clone().json();
  const id = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  return typeof id === 'string' ? id : null;
}
