import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveredResource } from '../../contract/resource.js';
import type { EmulatorContext } from '../types.js';
import { isValidAccessToken } from './identity.js';

/**
 * Azure Resource Graph's query API over the estate: `POST /providers/Microsoft.ResourceGraph/
 * resources?api-version=…` with `{subscriptions, query, options: {$top, $skipToken}}`, rows as
 * an object array, `$skipToken` paging, and the per-user quota of 15 queries every 5 seconds
 * (429 with x-ms-user-quota-remaining). The query language is the subset DriftMgr sends: the
 * `Resources` table, optionally in union with `AuthorizationResources`' role assignments, and
 * optionally `| project` columns.
 */

export const RESOURCE_GRAPH_PATH = '/providers/microsoft.resourcegraph/resources';

export const RESOURCE_GRAPH_QUOTA = { capacity: 15, refillPerSecond: 3 } as const;

const DEFAULT_TOP = 100;
const MAX_TOP = 1000;
const QUERY =
  /^\s*Resources\s*(\|\s*union\s*\(\s*AuthorizationResources\s*\|\s*where\s+type\s*=~\s*'microsoft\.authorization\/roleassignments'\s*\)\s*)?(?:\|\s*project\s+([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*))?\s*$/i;

/** Types Resource Graph keeps in its `AuthorizationResources` table, not in `Resources`. */
const AUTHORIZATION_TYPES = new Set(['microsoft.authorization/roleassignments']);

interface GraphError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const requestId = randomUUID();
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, err: GraphError): void {
  send(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
}

const throttled: GraphError = {
  status: 429,
  code: 'RateLimiting',
  message: 'Please provide below info when asking for support: timestamp, correlationId. Details: too many requests.',
  headers: { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:01', 'retry-after': '1' },
};

/** A resource as a row of the `Resources` table (types and resource groups in lower case, as Resource Graph reports them). */
function rowOf(r: DiscoveredResource): Record<string, unknown> {
  const a = r.attributes;
  return {
    id: r.id,
    name: a.name ?? r.name,
    type: r.type.toLowerCase(),
    kind: a.kind ?? '',
    location: a.location ?? r.region,
    resourceGroup: (/\/resourceGroups\/([^/]+)/i.exec(r.id)?.[1] ?? '').toLowerCase(),
    subscriptionId: r.account,
    tags: a.tags ?? {},
    sku: a.sku ?? null,
    zones: a.zones ?? null,
    managedBy: a.managedBy ?? '',
    identity: a.identity ?? null,
    properties: a.properties ?? {},
  };
}

interface QueryRequest {
  subscriptions?: unknown;
  query?: unknown;
  options?: { $top?: unknown; $skipToken?: unknown };
}

function parseRequest(body: Buffer): QueryRequest | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as QueryRequest) : undefined;
  } catch {
    return undefined;
  }
}

const badRequest = (message: string): GraphError => ({ status: 400, code: 'BadRequest', message });

/** `$skipToken`: the next row and a digest of the query and scopes it belongs to. */
function encodeToken(offset: number, digest: string): string {
  return Buffer.from(JSON.stringify({ offset, digest })).toString('base64url');
}

function decodeToken(token: string, digest: string): number | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown; digest?: unknown };
    return Number.isInteger(t.offset) && (t.offset as number) >= 0 && t.digest === digest
      ? (t.offset as number)
      : undefined;
  } catch {
    return undefined;
  }
}

export class ResourceGraph {
  /** `Resources` rows by lower-cased subscription id; subnets and resource groups live in other tables. */
  private readonly rows = new Map<string, Record<string, unknown>[]>();
  /** `AuthorizationResources` rows (role assignments) by lower-cased subscription id. */
  private readonly authorization = new Map<string, Record<string, unknown>[]>();

  constructor(resources: readonly DiscoveredResource[]) {
    for (const r of resources) {
      const type = r.type.toLowerCase();
      if (type === 'microsoft.resources/resourcegroups' || type.endsWith('/subnets')) continue;
      const table = AUTHORIZATION_TYPES.has(type) ? this.authorization : this.rows;
      const key = r.account.toLowerCase();
      table.set(key, [...(table.get(key) ?? []), rowOf(r)]);
    }
  }

  serve(ctx: EmulatorContext, req: IncomingMessage, body: Buffer, url: URL, res: ServerResponse): void {
    ctx.record('azure', 'Microsoft.ResourceGraph/resources/action');
    switch (ctx.fault()) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'throttle':
        return fail(res, throttled);
      case 'server-error':
        return fail(res, { status: 500, code: 'InternalServerError', message: 'Encountered internal server error.' });
    }
    const error = this.check(req, url);
    if (error) return fail(res, error);
    if (!ctx.takeToken('azure|resource-graph', RESOURCE_GRAPH_QUOTA.capacity, RESOURCE_GRAPH_QUOTA.refillPerSecond))
      return fail(res, throttled);
    const request = parseRequest(body);
    if (!request) return fail(res, badRequest('The request content was invalid and could not be deserialized.'));
    this.answer(request, res);
  }

  private check(req: IncomingMessage, url: URL): GraphError | undefined {
    if (req.method !== 'POST')
      return { status: 405, code: 'MethodNotAllowed', message: `Method '${req.method}' is not supported.` };
    if (!url.searchParams.get('api-version'))
      return {
        status: 400,
        code: 'MissingApiVersionParameter',
        message: 'The api-version query parameter (?api-version=) is required for all requests.',
      };
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || !isValidAccessToken(token))
      return { status: 401, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
    return undefined;
  }

  private answer(request: QueryRequest, res: ServerResponse): void {
    const match = typeof request.query === 'string' ? QUERY.exec(request.query) : null;
    if (!match)
      return fail(
        res,
        badRequest(
          'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
        ),
      );
    const subscriptions = Array.isArray(request.subscriptions) ? request.subscriptions.map(String) : [];
    if (subscriptions.length === 0) return fail(res, badRequest('At least one subscription is required.'));
    const top = request.options?.$top === undefined ? DEFAULT_TOP : Number(request.options.$top);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP)
      return fail(res, badRequest(`$top must be between 1 and ${MAX_TOP}.`));
    const digest = createHash('sha256')
      .update(JSON.stringify([request.query, subscriptions]))
      .digest('base64url');
    const token = request.options?.$skipToken;
    const offset = token === undefined ? 0 : decodeToken(String(token), digest);
    if (offset === undefined) return fail(res, badRequest('The $skipToken is invalid for this query.'));
    const columns = match[2]?.split(',').map((c) => c.trim());
    const tables = match[1] ? [this.rows, this.authorization] : [this.rows];
    const all = tables.flatMap((t) => subscriptions.flatMap((s) => t.get(s.toLowerCase()) ?? []));
    const page = all
      .slice(offset, offset + top)
      .map((row) => (columns ? Object.fromEntries(columns.map((c) => [c, row[c] ?? null])) : row));
    const end = offset + page.length;
    send(res, 200, {
      totalRecords: all.length,
      count: page.length,
      data: page,
      facets: [],
      resultTruncated: 'false',
      ...(end < all.length ? { $skipToken: encodeToken(end, digest) } : {}),
    });
  }
}
