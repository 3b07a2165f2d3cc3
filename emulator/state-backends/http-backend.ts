import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StateBackendObjects } from './objects.js';
import { send } from './wire.js';

export const HTTP_BACKEND_PREFIX = '/http-backend/';
/** The basic-auth credentials of the emulated http backend (TF_HTTP_USERNAME / TF_HTTP_PASSWORD). */
export const HTTP_BACKEND_USER = 'driftmgr';
export const HTTP_BACKEND_PASSWORD = 'driftmgr-emulator-http-password';

export const isHttpBackendRequest = (path: string) => path.startsWith(HTTP_BACKEND_PREFIX);

/** Terraform's http backend: GET an address for its state (404 when there is none), basic auth required. */
export function serveHttpBackend(objects: StateBackendObjects, req: IncomingMessage, res: ServerResponse): void {
  const expected = `Basic ${Buffer.from(`${HTTP_BACKEND_USER}:${HTTP_BACKEND_PASSWORD}`).toString('base64')}`;
  if (req.headers.authorization !== expected) {
    return send(res, 401, { 'www-authenticate': 'Basic realm="state"', 'content-type': 'text/plain' }, 'unauthorized');
  }
  const path = new URL(req.url ?? '/', 'http://state.local').pathname.slice(HTTP_BACKEND_PREFIX.length);
  const state = objects.http.get(decodeURIComponent(path));
  if (!state) return send(res, 404, { 'content-type': 'text/plain' }, 'no state');
  send(res, 200, { 'content-type': 'application/json' }, state.bytes);
}
