import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudHandlerFactory, EmulatorContext } from '../types.js';
import { AssetInventory, InvalidArgument } from './asset-inventory.js';
import { projectNumber } from './asset-types.js';
import { OAuthTokens } from './auth.js';

/**
 * Cloud Asset Inventory's REST API (what `@google-cloud/asset` sends with `fallback: true`):
 * `GET /v1/projects/{project}/assets` plus the OAuth token endpoint `POST /token`.
 * Errors use Google's JSON error format, `{error: {code, message, status, details?}}`.
 */

/** The audience google-auth-library puts in self-signed JWTs for this API. */
const CLOUD_ASSET_AUDIENCE = 'https://cloudasset.googleapis.com/';
/** Published quota: ListAssets, 100 requests per minute per project. */
const LIST_ASSETS_QUOTA = { capacity: 100, refillPerSecond: 100 / 60 };
const LIST_ASSETS_PATH = /^\/v1\/(projects|folders|organizations)\/([^/]+)\/assets$/;

interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function googleError(res: ServerResponse, code: number, status: string, message: string, details?: unknown[]): void {
  const body: GoogleErrorBody = { error: { code, message, status } };
  if (details) body.error.details = details;
  send(res, code, body);
}

function quotaExceeded(res: ServerResponse, projectId: string): void {
  const consumer = `projects/${projectNumber(projectId)}`;
  googleError(
    res,
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric 'List Assets Requests' and limit 'List Assets Requests per minute' of service 'cloudasset.googleapis.com' for consumer '${consumer}'.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: {
          service: 'cloudasset.googleapis.com',
          consumer,
          quota_metric: 'cloudasset.googleapis.com/list_assets_requests',
          quota_limit: 'ListAssetsRequestsPerMinutePerProject',
          quota_limit_value: String(LIST_ASSETS_QUOTA.capacity),
        },
      },
    ],
  );
}

/** Answers an injected fault the way Google's front end fails; true when the call is over. */
function injectFault(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, projectId: string): boolean {
  switch (ctx.fault()) {
    case 'throttle':
      quotaExceeded(res, projectId);
      return true;
    case 'server-error':
      googleError(res, 503, 'UNAVAILABLE', 'The service is currently unavailable.');
      return true;
    case 'drop':
      req.socket.destroy();
      return true;
    default:
      return false;
  }
}

export const createGcpHandler: CloudHandlerFactory = (resources, ctx) => {
  const inventory = new AssetInventory(resources);
  const tokens = new OAuthTokens();

  function token(body: Buffer, res: ServerResponse): void {
    ctx.record('gcp', 'Token');
    const result = tokens.grant(new URLSearchParams(body.toString('utf8')));
    send(res, result.status, result.body);
  }

  function listAssets(req: IncomingMessage, res: ServerResponse, url: URL, parentKind: string, parentId: string): void {
    ctx.record('gcp', 'ListAssets');
    if (injectFault(ctx, req, res, parentId)) return;
    if (!tokens.authorizes(req.headers.authorization, CLOUD_ASSET_AUDIENCE)) {
      googleError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
      return;
    }
    const projectId = parentKind === 'projects' ? inventory.resolveProject(parentId) : undefined;
    if (!projectId) {
      googleError(res, 403, 'PERMISSION_DENIED', `The caller does not have permission on ${parentKind}/${parentId}.`);
      return;
    }
    if (!ctx.takeToken(`gcp|${projectId}|ListAssets`, LIST_ASSETS_QUOTA.capacity, LIST_ASSETS_QUOTA.refillPerSecond)) {
      quotaExceeded(res, projectId);
      return;
    }
    try {
      const page = inventory.list(
        {
          projectId,
          assetTypes: url.searchParams.getAll('assetTypes'),
          contentType: url.searchParams.get('contentType'),
          pageSize: url.searchParams.get('pageSize'),
          pageToken: url.searchParams.get('pageToken'),
        },
        new Date(),
      );
      send(res, 200, page);
    } catch (err) {
      if (!(err instanceof InvalidArgument)) throw err;
      googleError(res, 400, 'INVALID_ARGUMENT', err.message);
    }
  }

  return async (req, body, res) => {
    await ctx.delay();
    const url = new URL(req.url ?? '/', 'http://cloudasset.googleapis.com');
    if (url.pathname === '/token') {
      if (req.method === 'POST') token(body, res);
      else googleError(res, 405, 'INVALID_ARGUMENT', `Method ${req.method} is not allowed on /token.`);
      return;
    }
    const listMatch = LIST_ASSETS_PATH.exec(url.pathname);
    if (listMatch && req.method === 'GET') {
      listAssets(req, res, url, listMatch[1]!, decodeURIComponent(listMatch[2]!));
      return;
    }
    ctx.record('gcp', 'Unknown');
    googleError(
      res,
      404,
      'NOT_FOUND',
      `The requested URL ${url.pathname} was not found on this server (${req.method}).`,
    );
  };
};
