import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StateBackendObjects } from './objects.js';
import { send, sendJson } from './wire.js';

/** The token agents hold for the emulated Terraform Cloud (TF_TOKEN_127_0_0_1). */
export const EMULATOR_TFC_TOKEN = 'driftmgr-emulator.atlasv1.tfc-token';

const WORKSPACE = /^\/api\/v2\/organizations\/([^/]+)\/workspaces\/([^/]+)$/;
const CURRENT_STATE = /^\/api\/v2\/workspaces\/([^/]+)\/current-state-version$/;
const ARCHIVIST = /^\/_archivist\/v1\/object\/([^/]+)$/;

export const isTfcRequest = (path: string) => path.startsWith('/api/v2/') || path.startsWith('/_archivist/');

const JSON_API = { 'content-type': 'application/vnd.api+json' };
const notFound = (res: ServerResponse) =>
  sendJson(res, 404, { errors: [{ status: '404', title: 'not found' }] }, JSON_API);

/**
 * Terraform Cloud's API (JSON:API) as far as state goes: a workspace by organization and name,
 * its current state version, and the state behind the version's hosted-state-download-url
 * (`/_archivist/…`, which like the real signed URL needs no token). API calls need the token.
 */
export function serveTfc(objects: StateBackendObjects, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://tfc.local');
  const origin = `http://${req.headers.host}`;
  const workspaces = [...objects.tfc.entries()].flatMap(([org, ws]) =>
    [...ws.entries()].map(([name, w]) => ({ org, name, ...w })),
  );
  const download = ARCHIVIST.exec(url.pathname);
  if (download) {
    const w = workspaces.find((x) => x.id === download[1] && x.state);
    if (!w?.state) return notFound(res);
    return send(res, 200, { 'content-type': 'application/json' }, w.state.bytes);
  }
  if (req.headers.authorization !== `Bearer ${EMULATOR_TFC_TOKEN}`) {
    return sendJson(res, 401, { errors: [{ status: '401', title: 'unauthorized' }] }, JSON_API);
  }
  const byName = WORKSPACE.exec(url.pathname);
  if (byName) {
    const w = workspaces.find(
      (x) => x.org === decodeURIComponent(byName[1]!) && x.name === decodeURIComponent(byName[2]!),
    );
    if (!w) return notFound(res);
    return sendJson(res, 200, { data: { id: w.id, type: 'workspaces', attributes: { name: w.name } } }, JSON_API);
  }
  const current = CURRENT_STATE.exec(url.pathname);
  const w = current && workspaces.find((x) => x.id === current[1]);
  if (!w?.state) return notFound(res);
  const serial = (JSON.parse(w.state.bytes.toString('utf8')) as { serial?: unknown }).serial;
  sendJson(
    res,
    200,
    {
      data: {
        id: `sv-${w.id.slice(3)}-${w.state.generation}`,
        type: 'state-versions',
        attributes: {
          serial,
          status: 'finalized',
          size: w.state.bytes.length,
          'created-at': w.state.modified.toISOString(),
          'hosted-state-download-url': `${origin}/_archivist/v1/object/${w.id}`,
        },
      },
    },
    JSON_API,
  );
}
