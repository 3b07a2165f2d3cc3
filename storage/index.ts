import { D1Store } from './d1/store.js';
import { PgStore } from './pg/store.js';
import type { Store } from './store.js';

const STORES: Record<Store['kind'], (env: Env) => Store> = {
  d1: (env) => new D1Store(env.DB),
  postgres: (env) => new PgStore(env.HYPERDRIVE.connectionString),
};

/** The configured store: D1 unless DRIFTMGR_STORAGE says postgres (through Hyperdrive). */
export function storeFor(env: Env): Store {
  // wrangler types the var as its wrangler.toml literal; `--var` overrides it at run time.
  const configured: string = env.DRIFTMGR_STORAGE;
  return STORES[configured === 'postgres' ? 'postgres' : 'd1'](env);
}
