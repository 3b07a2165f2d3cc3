import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resourceTypesOf } from '../../contract/resource-types.js';
import type { CloudHandlerFactory, EmulatorContext } from '../types.js';
import { ArmIndex } from './arm-index.js';
import { ARM_TYPES } from './estate.js';
import { identityAction, isIdentityPath, isValidAccessToken, serveIdentity } from './identity.js';
import { RESOURCE_GRAPH_PATH, ResourceGraph } from './resource-graph.js';

/**
 * ARM's read limit per subscription: a token bucket of 250 requests refilled at 25 per second
 * (Azure Resource Manager throttling docs, "Subscription and tenant limits", token bucket
 * algorithm since 2024). All reads of a subscription share it, whatever the resource type.
 */
export const ARM_READ_LIMIT = { capacity: 250, refillPerSecond: 25 } as const;

/** ARM picks the page size; 100 items a page keeps nextLink paging busy even on small estates. */
export const ARM_PAGE_SIZE = 100;

/** Seconds a throttled caller is told to wait: one token's refill, rounded up as ARM does. */
const RETRY_AFTER_SECONDS = Math.max(1, Math.ceil(1 / ARM_READ_LIMIT.refillPerSecond));

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** Canonical spelling of each type this emulator serves, by lower-cased name. */
const SERVED_TYPES = new Map(
  resourceTypesOf('azure')
    .filter((t) => t.level === 'attributes')
    .map((t) => [t.type.toLowerCase(), t.type]),
);

type ArmRoute =
  | { kind: 'collection'; subscription: string; resourceGroup?: string; type: string; parentId?: string; path: string }
  | { kind: 'resource'; subscription: string; resourceGroup?: string; type: string; parentId?: string; path: string };

/**
 * Reads an ARM path: `/subscriptions/{s}[/resourceGroups/{g}][/providers/{ns}/{type}[/{name}/{childType}]…[/{name}]]`.
 * An odd number of segments after the namespace names a collection, an even number one resource.
 */
function parseArmPath(pathname: string): ArmRoute | undefined {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments[0]?.toLowerCase() !== 'subscriptions' || !segments[1]) return undefined;
  const subscription = segments[1];
  const path = `/${segments.join('/')}`;
  let next = 2;
  let resourceGroup: string | undefined;
  if (segments[2]?.toLowerCase() === 'resourcegroups') {
    if (segments.length === 3) return { kind: 'collection', subscription, type: ARM_TYPES.resourceGroup, path };
    resourceGroup = segments[3];
    if (segments.length === 4) return { kind: 'resource', subscription, type: ARM_TYPES.resourceGroup, path };
    next = 4;
  }
  if (segments[next]?.toLowerCase() !== 'providers' || segments.length < next + 3) return undefined;
  const namespace = segments[next + 1] as string;
  const rest = segments.slice(next + 2);
  const type = `${namespace}/${rest.filter((_, i) => i % 2 === 0).join('/')}`;
  const kind = rest.length % 2 === 1 ? 'collection' : 'resource';
  const nested = rest.length > 2;
  const parentId = nested ? `/${segments.slice(0, kind === 'collection' ? -1 : -2).join('/')}` : undefined;
  return { kind, subscription, resourceGroup, type, parentId, path };
}

interface ArmError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const requestId = randomUUID();
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-cache',
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, err: ArmError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
}

function throttled(subscription: string): ArmError {
  return {
    status: 429,
    code: 'SubscriptionRequestsThrottled',
    message: `Number of 'read' requests for subscription '${subscription}' exceeded. Please try again after '${RETRY_AFTER_SECONDS}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS), 'x-ms-ratelimit-remaining-subscription-reads': '0' },
  };
}

function internalError(subscription: string): ArmError {
  const tracking = randomUUID();
  return {
    status: 500,
    code: 'InternalServerError',
    message: `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', subscription id '${subscription}', tracking id '${tracking}', request correlation id '${tracking}'.`,
  };
}

/** Checks that need no estate: method, api-version and the bearer token. */
function checkRequest(req: IncomingMessage, url: URL): ArmError | undefined {
  if (req.method !== 'GET') {
    return {
      status: 405,
      code: 'MethodNotAllowed',
      message: `The emulated ARM endpoint is read-only; method '${req.method}' is not supported.`,
    };
  }
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion) {
    return {
      status: 400,
      code: 'MissingApiVersionParameter',
      message: 'The api-version query parameter (?api-version=) is required for all requests.',
    };
  }
  if (!API_VERSION.test(apiVersion)) {
    return {
      status: 400,
      code: 'InvalidApiVersionParameter',
      message: `The api-version '${apiVersion}' is invalid. The supported versions are of the form 'yyyy-mm-dd[-preview]'.`,
    };
  }
  const authorization = req.headers.authorization;
  if (!authorization) {
    return {
      status: 401,
      code: 'AuthenticationFailed',
      message: "Authentication failed. The 'Authorization' header is missing.",
    };
  }
  const [scheme, token] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token || !isValidAccessToken(token)) {
    return { status: 401, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
  }
  return undefined;
}

/** Checks against the estate: known type, existing resource group and parent resource. */
function checkScope(index: ArmIndex, route: ArmRoute, apiVersion: string): ArmError | undefined {
  const namespace = route.type.split('/')[0] as string;
  if (!SERVED_TYPES.has(route.type.toLowerCase())) {
    return {
      status: 400,
      code: 'InvalidResourceType',
      message: `The resource type '${route.type.slice(namespace.length + 1)}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
    };
  }
  const groupPath = route.resourceGroup && `/subscriptions/${route.subscription}/resourceGroups/${route.resourceGroup}`;
  if (groupPath && !index.resource(groupPath)) {
    return {
      status: 404,
      code: 'ResourceGroupNotFound',
      message: `Resource group '${route.resourceGroup}' could not be found.`,
    };
  }
  if (route.parentId && !index.resource(route.parentId)) {
    const parentName = route.parentId.slice(route.parentId.lastIndexOf('/') + 1);
    return {
      status: 404,
      code: 'ParentResourceNotFound',
      message: `Can not perform requested operation on nested resource. Parent resource '${parentName}' not found.`,
    };
  }
  return undefined;
}

/** `$skiptoken` is opaque to clients; here it carries the offset of the next page. */
const encodeSkipToken = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString('base64url');

function decodeSkipToken(token: string | null): number | undefined {
  if (token === null) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    return Number.isInteger(offset) && (offset as number) >= 0 ? (offset as number) : undefined;
  } catch {
    return undefined;
  }
}

function serveCollection(index: ArmIndex, route: ArmRoute, url: URL, res: ServerResponse): void {
  const offset = decodeSkipToken(url.searchParams.get('$skiptoken'));
  if (offset === undefined)
    return sendError(res, {
      status: 400,
      code: 'InvalidSkipToken',
      message: 'The $skiptoken in the request is invalid.',
    });
  const members = index.collection(route.path);
  const end = offset + ARM_PAGE_SIZE;
  const page: { value: unknown[]; nextLink?: string } = { value: members.slice(offset, end).map((r) => r.attributes) };
  if (end < members.length) {
    page.nextLink = `${url.origin}${url.pathname}?api-version=${url.searchParams.get('api-version')}&$skiptoken=${encodeSkipToken(end)}`;
  }
  sendJson(res, 200, page);
}

function serveResource(index: ArmIndex, route: ArmRoute, res: ServerResponse): void {
  const resource = index.resource(route.path);
  if (!resource) {
    const name = route.path.slice(route.path.lastIndexOf('/') + 1);
    return sendError(res, {
      status: 404,
      code: route.type === ARM_TYPES.resourceGroup ? 'ResourceGroupNotFound' : 'ResourceNotFound',
      message:
        route.type === ARM_TYPES.resourceGroup
          ? `Resource group '${name}' could not be found.`
          : `The Resource '${route.type}/${name}' under resource group '${route.resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    });
  }
  sendJson(res, 200, resource.attributes);
}

function actionOf(route: ArmRoute | undefined): string {
  if (!route) return 'unknown';
  return `${SERVED_TYPES.get(route.type.toLowerCase()) ?? route.type}/read`;
}

function serveArm(index: ArmIndex, ctx: EmulatorContext, req: IncomingMessage, url: URL, res: ServerResponse): void {
  const route = parseArmPath(url.pathname);
  ctx.record('azure', actionOf(route));
  const subscription = route?.subscription ?? '';
  switch (ctx.fault()) {
    case 'drop':
      req.socket.destroy();
      return;
    case 'throttle':
      return sendError(res, throttled(subscription));
    case 'server-error':
      return sendError(res, internalError(subscription));
  }
  const requestError = checkRequest(req, url);
  if (requestError) return sendError(res, requestError);
  if (!route) {
    return sendError(res, {
      status: 404,
      code: 'NotFound',
      message: `No HTTP resource was found that matches the request URI '${url.pathname}'.`,
    });
  }
  if (!index.hasSubscription(subscription)) {
    return sendError(res, {
      status: 404,
      code: 'SubscriptionNotFound',
      message: `The subscription '${subscription}' could not be found.`,
    });
  }
  if (
    !ctx.takeToken(`azure|${subscription.toLowerCase()}|reads`, ARM_READ_LIMIT.capacity, ARM_READ_LIMIT.refillPerSecond)
  ) {
    return sendError(res, throttled(subscription));
  }
  const scopeError = checkScope(index, route, url.searchParams.get('api-version') as string);
  if (scopeError) return sendError(res, scopeError);
  if (route.kind === 'collection') serveCollection(index, route, url, res);
  else serveResource(index, route, res);
}

/**
 * Azure's wire protocol over the estate: ARM REST (JSON, nextLink paging, ARM errors,
 * per-subscription read throttling), Resource Graph queries, and the Entra ID endpoints the
 * SDK's credential needs, on one https origin.
 */
export const createAzureHandler: CloudHandlerFactory = (resources, ctx) => {
  const index = new ArmIndex(resources);
  const graph = new ResourceGraph(resources);
  return async (req, body, res) => {
    await ctx.delay();
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? 'localhost'}`);
    if (isIdentityPath(url.pathname)) {
      // Entra ID is a separate service from ARM: its calls are counted but not faulted or throttled here.
      ctx.record('azure', identityAction(url.pathname));
      serveIdentity(req, body, url, res);
      return;
    }
    if (url.pathname.toLowerCase() === RESOURCE_GRAPH_PATH) {
      graph.serve(ctx, req, body, url, res);
      return;
    }
    serveArm(index, ctx, req, url, res);
  };
};
