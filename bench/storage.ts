import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyperdriveLocalUrl } from '../scripts/pg-local-url.js';
import { freshDatabase } from '../scripts/pg-migrate.js';
import { freePort } from '../test/support/free-port.js';

const WRANGLER = join('node_modules', '.bin', 'wrangler');
const CONFIG = 'bench/storage-worker.toml';
const STORES = ['d1', 'postgres'] as const;
/** One consumer delivery is 100 messages of 100 resources (~1 KB each). */
const RESOURCES_PER_DELIVERY = 10_000;
const SEED_CHUNK = 100_000;

export interface StorageBenchOptions {
  /** Postgres database the bench recreates (never `postgres`). */
  pgUrl?: string;
  ingestResources?: number;
  summaryResources?: number;
}

/**
 * Ingest rate and summary latency of both stores, measured inside workerd: a small bench Worker
 * (bench/storage-worker.ts under `wrangler dev`, local D1 and Postgres through
 * the Hyperdrive binding's local connection string) runs the real stores; this drives it.
 * Ingest is `store.upsertResources` on consumer-shaped deliveries (100 messages of ~100 KB);
 * the summary figures are taken after the inventory is topped up to `summaryResources` rows.
 */
export async function benchStorage(options: StorageBenchOptions = {}) {
  const pgUrl =
    options.pgUrl ?? process.env.DRIFTMGR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/driftmgr_bench';
  const ingestResources = options.ingestResources ?? 100_000;
  const summaryResources = options.summaryResources ?? 1_000_000;
  const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-storage-bench-'));
  await freshDatabase(pgUrl);
  applyD1Migrations(persistDir);
  const port = await freePort();
  const worker = spawn(
    WRANGLER,
    [
      'dev',
      '-c',
      CONFIG,
      '--persist-to',
      persistDir,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--show-interactive-dev-session=false',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: hyperdriveLocalUrl(pgUrl) },
    },
  );
  const call = async (path: string, params: Record<string, string | number>) => {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
    const res = await fetch(`http://127.0.0.1:${port}${path}?${query}`);
    const body = await res.json();
    if (!res.ok) throw new Error(`${path} ${query}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  try {
    await waitUntilUp(() => call('/ping', { store: 'd1' }));
    const figures: Record<string, unknown> = {
      method:
        'stores run in workerd (wrangler dev, local D1 / local Postgres via Hyperdrive); only store calls are timed',
    };
    for (const store of STORES) {
      const ingest = await call('/ingest', { store, deliveries: Math.ceil(ingestResources / RESOURCES_PER_DELIVERY) });
      // Ingest writes the job's sightings; the merge into the inventory runs once per analysed account.
      const merge = (await call('/merge', { store })) as { ms: number };
      let seedMs = 0;
      // Seeded keys never meet the ingested ones, so the summary counts ingested + seeded rows.
      for (let from = 0; from < summaryResources - ingestResources; from += SEED_CHUNK) {
        seedMs += (await call('/seed', {
          store,
          from,
          count: Math.min(SEED_CHUNK, summaryResources - ingestResources - from),
        })) as number;
      }
      const summary = await call('/summary', { store, repeat: 5 });
      const mergePerS = Math.round((ingestResources / merge.ms) * 1000);
      figures[store] = {
        ingest,
        merge: { ...merge, resources_per_s: mergePerS },
        seed_ms: Math.round(seedMs),
        summary,
      };
    }
    return figures;
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    rmSync(persistDir, { recursive: true, force: true });
  }
}

/** Applies the D1 migrations to the local database of the config's DB binding under `persistDir`. */
export function applyD1Migrations(persistDir: string, config = CONFIG): void {
  const result = spawnSync(
    WRANGLER,
    ['d1', 'migrations', 'apply', 'DB', '--local', '-c', config, '--persist-to', persistDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`applying D1 migrations failed:\n${result.stdout}${result.stderr}`);
}

async function waitUntilUp(probe: () => Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the storage bench Worker did not come up: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchStorage(), null, 2));
