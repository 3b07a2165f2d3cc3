import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { BOOTSTRAP_ACTOR, type Role } from '../contract/tokens.js';
import type { Principal } from './principal.js';

/**
 * What a route asks of its caller; `public` asks for no token at all, `bootstrap` for
 * DRIFTMGR_ADMIN_TOKEN itself (no role has it: a tenant's admin must not make tenants).
 */
export type Permission = 'public' | 'read' | 'operate' | 'agent' | 'admin' | 'bootstrap';

/** What each role may do. Admin also speaks the agent protocol, as the bootstrap token always has. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'operate', 'agent', 'admin'],
  operator: ['read', 'operate'],
  reader: ['read'],
  agent: ['agent'],
};

/**
 * Which calls of a route the audit log keeps: `all` of them, all but the 204 answers that
 * changed nothing (`changes`), or `none`. Reads are never audited.
 */
export type AuditPolicy = 'all' | 'changes' | 'none';

export interface RouteAccess {
  need: Permission;
  /** Defaults to `all` for POST, PUT, PATCH and DELETE, `none` for reads. */
  audit?: AuditPolicy;
  /** The field of a 2xx JSON answer naming what the call created: its audit target. */
  created?: string;
}

/**
 * THE table of who may call what: every route of the app, keyed `METHOD path` as Hono
 * registers it. The auth middleware reads it on every call, and the authorization matrix
 * test is generated from it (and checks that it names every route the app serves).
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /health': { need: 'public' },
  'GET /api/v1/openapi.json': { need: 'public' },
  'GET /metrics': { need: 'read' },

  'POST /api/v1/discovery': { need: 'operate', created: 'job_id' },
  'GET /api/v1/jobs': { need: 'read' },
  'GET /api/v1/jobs/:job_id': { need: 'read' },
  'GET /api/v1/jobs/:job_id/events': { need: 'read' },
  'POST /api/v1/jobs/:job_id/cancel': { need: 'operate' },
  'POST /api/v1/schedules': { need: 'operate', created: 'schedule_id' },
  'GET /api/v1/schedules': { need: 'read' },
  'DELETE /api/v1/schedules/:schedule_id': { need: 'operate' },
  'POST /api/v1/import': { need: 'operate' },
  'GET /api/v1/states': { need: 'read' },
  'GET /api/v1/imports/:import_id': { need: 'read' },
  'POST /api/v1/state-sources': { need: 'operate', created: 'source_id' },
  'GET /api/v1/state-sources': { need: 'read' },
  'GET /api/v1/state-sources/:source_id': { need: 'read' },
  'DELETE /api/v1/state-sources/:source_id': { need: 'operate' },
  'POST /api/v1/state-sources/:source_id/read': { need: 'operate' },
  'GET /api/v1/drift': { need: 'read' },
  'POST /api/v1/drift/ack': { need: 'operate' },
  'GET /api/v1/drift/report': { need: 'read' },
  'GET /api/v1/resources': { need: 'read' },
  'GET /api/v1/resources/summary': { need: 'read' },
  'GET /api/v1/trends': { need: 'read' },
  'GET /api/v1/resource-types': { need: 'read' },
  'GET /api/v1/export': { need: 'read' },
  'GET /api/v1/ignore': { need: 'read' },
  'PUT /api/v1/ignore': { need: 'operate' },
  // Reading targets needs operate too: a Slack incoming-webhook URL is itself a secret.
  'POST /api/v1/notifications': { need: 'operate', created: 'notification_id' },
  'GET /api/v1/notifications': { need: 'operate' },
  'GET /api/v1/notifications/:notification_id': { need: 'operate' },
  'DELETE /api/v1/notifications/:notification_id': { need: 'operate' },

  // A lease poll that found no work changed nothing; heartbeats and result chunks come by the
  // thousand per job, and the job's shards already record each attempt and its resources.
  'POST /api/v1/agents/lease': { need: 'agent', audit: 'changes' },
  'POST /api/v1/shards/:shard_id/heartbeat': { need: 'agent', audit: 'none' },
  'POST /api/v1/shards/:shard_id/results': { need: 'agent', audit: 'none' },
  'POST /api/v1/shards/:shard_id/complete': { need: 'agent' },
  'POST /api/v1/shards/:shard_id/fail': { need: 'agent' },
  // State reads: agents of the source's provider and account only (the routes check the binding).
  'POST /api/v1/agents/state-lease': { need: 'agent', audit: 'changes' },
  'POST /api/v1/state-sources/:source_id/heartbeat': { need: 'agent', audit: 'none' },
  'POST /api/v1/state-sources/:source_id/states': { need: 'agent' },
  'POST /api/v1/state-sources/:source_id/complete': { need: 'agent' },
  'POST /api/v1/state-sources/:source_id/fail': { need: 'agent' },

  'POST /api/v1/tokens': { need: 'admin', created: 'id' },
  'GET /api/v1/tokens': { need: 'admin' },
  'DELETE /api/v1/tokens/:id': { need: 'admin' },
  'GET /api/v1/audit': { need: 'admin' },
  'POST /api/v1/tenants': { need: 'bootstrap', created: 'tenant_id' },
  'GET /api/v1/tenants': { need: 'bootstrap' },
};

/** A route missing from the table is the admin's alone until someone says otherwise. */
const UNLISTED: RouteAccess = { need: 'admin' };

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function auditPolicyOf(method: string, access: RouteAccess): AuditPolicy {
  return access.audit ?? (MUTATING.has(method) ? 'all' : 'none');
}

export function mayCall(role: Role, need: Permission): boolean {
  return need === 'public' || ROLE_PERMISSIONS[role].includes(need);
}

/** Whether this caller may call a route: by its role, or as the bootstrap token for `bootstrap` routes. */
export function principalMayCall(principal: Principal, need: Permission): boolean {
  return need === 'bootstrap' ? principal.actor === BOOTSTRAP_ACTOR : mayCall(principal.role, need);
}

/** The route a request reached: its table key, what it asks, and its path parameters. */
export interface MatchedRoute {
  key: string;
  method: string;
  path: string;
  access: RouteAccess;
  params: Record<string, string>;
}

/**
 * The route handler this request will reach (the last matched route that is not middleware),
 * or null when none will (a 404). Hono matched every handler before the first ran, so
 * middleware knows the route and its parameters before the handler does.
 */
export function matchedRoute(c: Context): MatchedRoute | null {
  const route = matchedRoutes(c)
    .filter((r) => r.method !== 'ALL')
    .at(-1);
  if (!route) return null;
  const key = `${route.method} ${route.path}`;
  return {
    key,
    method: route.method,
    path: route.path,
    access: ROUTE_ACCESS[key] ?? UNLISTED,
    params: paramsOf(route.path, c.req.path),
  };
}

/** `:name` segments of a route pattern, read from the request path. */
function paramsOf(pattern: string, path: string): Record<string, string> {
  const names = pattern.split('/');
  const values = path.split('/');
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name.startsWith(':') && values[i] !== undefined) params[name.slice(1)] = decoded(values[i]);
  });
  return params;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
