import type { StateLocation, StateSourceType } from '../../contract/state-locations.js';
import type { StateBackend, StateBackendOptions } from './types.js';

type Factory = (location: StateLocation, opts: StateBackendOptions) => Promise<StateBackend>;

/**
 * Each backend's reader, its SDK imported on first use: an agent that reads no S3 state never
 * loads the S3 client, as providers load only their own cloud's SDK.
 */
const FACTORIES: Record<StateSourceType, Factory> = {
  s3: async (l, o) => (await import('./s3.js')).createS3Backend(l as Extract<StateLocation, { type: 's3' }>, o),
  gcs: async (l, o) => (await import('./gcs.js')).createGcsBackend(l as Extract<StateLocation, { type: 'gcs' }>, o),
  azurerm: async (l, o) =>
    (await import('./azurerm.js')).createAzurermBackend(l as Extract<StateLocation, { type: 'azurerm' }>, o),
  remote: async (l, o) =>
    (await import('./remote.js')).createRemoteBackend(l as Extract<StateLocation, { type: 'remote' }>, o),
  http: async (l, o) => (await import('./http.js')).createHttpBackend(l as Extract<StateLocation, { type: 'http' }>, o),
};

export function stateBackendFor(location: StateLocation, opts: StateBackendOptions): Promise<StateBackend> {
  return FACTORIES[location.type](location, opts);
}
