import type { StateLocation } from '../../contract/state-locations.js';
import { type StateBackend, StateBackendError, type StateBackendOptions } from './types.js';

type RemoteLocation = Extract<StateLocation, { type: 'remote' }>;

/**
 * The token for a Terraform Cloud or Enterprise host, as Terraform reads it from the
 * environment: `TF_TOKEN_<host>` (dots as `_`, dashes as `__`), else TFE_TOKEN.
 */
export function tfcTokenFor(hostname: string, env: NodeJS.ProcessEnv): string | undefined {
  const variable = `TF_TOKEN_${hostname.replaceAll('-', '__').replaceAll('.', '_')}`;
  return env[variable] || env.TFE_TOKEN || undefined;
}

/** A status a retry cannot change (not found, no permission): the read fails for good. */
const retryableStatus = (status: number) => status >= 500 || status === 429 || status === 408;

async function ok(res: Response, what: string): Promise<Response> {
  if (res.ok) return res;
  const detail = (await res.text()).slice(0, 300);
  throw new StateBackendError(`${what}: HTTP ${res.status} ${detail}`, retryableStatus(res.status));
}

/**
 * A Terraform Cloud/Enterprise workspace's current state, through its HTTPS API (JSON:API): the
 * workspace id by organization and name, its current state version, then that version's
 * hosted-state-download-url. The token goes to the API host only; a download URL elsewhere
 * (signed object storage) is fetched without it.
 */
export async function createRemoteBackend(location: RemoteLocation, opts: StateBackendOptions): Promise<StateBackend> {
  const host = new URL(location.origin).hostname;
  const token = tfcTokenFor(host, opts.env);
  if (!token) {
    throw new StateBackendError(`no token for ${host}: set TF_TOKEN_${host.replaceAll('.', '_')} or TFE_TOKEN`, false);
  }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.api+json' };
  const api = async (path: string, signal: AbortSignal) =>
    fetch(`${location.origin}/api/v2${path}`, { headers, signal });
  let downloadUrl: string | null = null;

  return {
    async list(signal) {
      const org = encodeURIComponent(location.organization);
      const name = encodeURIComponent(location.workspace);
      const workspace = await ok(await api(`/organizations/${org}/workspaces/${name}`, signal), 'workspace');
      const id = ((await workspace.json()) as { data?: { id?: string } }).data?.id;
      if (!id) throw new StateBackendError('workspace: the answer names no workspace id', false);
      const current = await api(`/workspaces/${encodeURIComponent(id)}/current-state-version`, signal);
      // A workspace that never ran has no state version yet.
      if (current.status === 404) return [];
      const version = (await (await ok(current, 'current state version')).json()) as {
        data?: { attributes?: Record<string, unknown> };
      };
      const url = version.data?.attributes?.['hosted-state-download-url'];
      if (typeof url !== 'string') throw new StateBackendError('the current state version has no download URL', false);
      downloadUrl = url;
      return [''];
    },
    async read(_name, signal) {
      if (downloadUrl === null) return null;
      const sameHost = new URL(downloadUrl, location.origin).origin === location.origin;
      const res = await fetch(new URL(downloadUrl, location.origin), {
        headers: sameHost ? { authorization: `Bearer ${token}` } : {},
        signal,
      });
      if (res.status === 404) return null;
      return new Uint8Array(await (await ok(res, 'state download')).arrayBuffer());
    },
  };
}
