import type { Context, MiddlewareHandler } from 'hono';
import { DEFAULT_TENANT } from '../../contract/tenants.js';
import { storeFor } from '../../storage/index.js';
import type { AppEnv } from '../app-env.js';
import { inBackground } from '../background.js';
import { tenantOf } from '../principal.js';

const HOUR_MS = 3600 * 1000;

/**
 * The expensive reads whose answer is a function of the tenant, the store's read version
 * (Store.readVersion: analyses, resource counts, acknowledgements, ignore rules) and the query.
 * Trends without `since` also read the clock: their default window starts 30 days before the
 * current hour (routes/trends.ts), so the hour is part of what they answer.
 */
const CACHED_READS: Readonly<Record<string, { hourly?: (query: URLSearchParams) => boolean }>> = {
  'GET /api/v1/resources/summary': {},
  'GET /api/v1/drift': {},
  'GET /api/v1/drift/report': {},
  'GET /api/v1/trends': { hourly: (query) => !query.has('since') },
};

/** Clients keep answers and ask again each time (If-None-Match); never a shared cache: they are the caller's. */
const CLIENT_CACHE_CONTROL = 'private, no-cache';
/** How long the Cache API keeps an answer; a newer read version has new keys, so this only bounds its size. */
const STORED_CACHE_CONTROL = 'max-age=3600';

async function hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 asks for it). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/** The strong entity tag of a cached read: everything its answer is a function of, hashed. */
async function etagOf(c: Context<AppEnv>, routeKey: string, tenant: string, hourly: boolean): Promise<string> {
  const version = await storeFor(c.env).readVersion();
  const query = [...new URL(c.req.url).searchParams].sort(([a, x], [b, y]) =>
    a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1,
  );
  const hour = hourly ? Math.floor(Date.now() / HOUR_MS) : null;
  return `"${await hex(JSON.stringify([tenant, routeKey, query, version, hour]))}"`;
}

/**
 * Summary, drift, report and trend reads: an ETag from what determines the answer, computed with
 * one small query. If-None-Match naming it gets 304 without the answer being computed; otherwise
 * the answer comes from the Cache API (caches.default, keyed by tenant and ETag, so another
 * reader's request is served without recomputing) or is computed and stored there. Whatever
 * changes an answer (an analysis completing, resource counts refreshed, drift acknowledged,
 * ignore rules replaced) changes the read version, so old tags and stored copies are never used
 * again. Runs after authorization: only a caller who may read the route learns its tag.
 */
export const cacheReads: MiddlewareHandler<AppEnv> = async (c, next) => {
  const route = c.get('route');
  const rule = c.req.method === 'GET' && route ? CACHED_READS[route.key] : undefined;
  if (!route || !rule) return next();
  const principal = c.get('principal');
  const tenant = principal ? tenantOf(principal) : DEFAULT_TENANT;
  const etag = await etagOf(c, route.key, tenant, rule.hourly?.(new URL(c.req.url).searchParams) ?? false);
  const clientHeaders = { etag, 'cache-control': CLIENT_CACHE_CONTROL };
  if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers: clientHeaders });
  }
  const key = new Request(new URL(`/__read-cache/${encodeURIComponent(tenant)}/${etag.slice(1, -1)}`, c.req.url));
  const stored = await caches.default.match(key);
  if (stored) return withHeaders(stored, clientHeaders);
  await next();
  if (c.res.status !== 200) return;
  for (const [name, value] of Object.entries(clientHeaders)) c.res.headers.set(name, value);
  const copy = withHeaders(c.res.clone(), { 'cache-control': STORED_CACHE_CONTROL });
  await inBackground(c, caches.default.put(key, copy));
};

function withHeaders(res: Response, headers: Record<string, string>): Response {
  const out = new Response(res.body, res);
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
}
