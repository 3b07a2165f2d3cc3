import type { StateLocation } from '../../contract/state-locations.js';
import { type StateBackend, StateBackendError, type StateBackendOptions } from './types.js';

type HttpLocation = Extract<StateLocation, { type: 'http' }>;

/**
 * Terraform's http backend: a GET of the address answers the state, 404 or 204 none yet. Basic
 * auth from TF_HTTP_USERNAME and TF_HTTP_PASSWORD, the backend's own settings.
 */
export async function createHttpBackend(location: HttpLocation, opts: StateBackendOptions): Promise<StateBackend> {
  const { TF_HTTP_USERNAME: user, TF_HTTP_PASSWORD: password } = opts.env;
  const headers: Record<string, string> = {};
  if (user || password)
    headers.authorization = `Basic ${Buffer.from(`${user ?? ''}:${password ?? ''}`).toString('base64')}`;
  return {
    list: async () => [''],
    async read(_name, signal) {
      const res = await fetch(location.url, { headers, signal });
      if (res.status === 404 || res.status === 204) return null;
      if (!res.ok) {
        const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
        throw new StateBackendError(`GET ${location.url}: HTTP ${res.status}`, retryable);
      }
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}
