import { D1Store } from './d1/store.js';
import type { Store } from './store.js';

/** The configured store: D1 unless DRIFTMGR_STORAGE says postgres (through Hyperdrive). */
export function storeFor(env: Env): Store {
  return new D1Store(env.DB);
}
