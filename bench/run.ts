import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { benchAgent } from './agent.js';
import { benchAnalysis } from './analysis.js';
import { benchEngine } from './engine.js';
import { benchLeaseRoundTrip } from './lease-roundtrip.js';
import { benchStateImport } from './state-import.js';
import { benchStorage } from './storage.js';

/**
 * `npm run bench [-- --only name,name]`: every benchmark, figures as one JSON document on
 * stdout. Each runs the real parts (wrangler dev, the emulator, agent processes) on this machine.
 */
const BENCHES: Record<string, () => Promise<unknown>> = {
  control_plane: () => benchLeaseRoundTrip(),
  engine: async () => benchEngine(),
  agent_no_latency: () =>
    benchAgent({ resources: 200_000, latencyMs: 0, sharding: 'region', shardSize: 5000, concurrency: 4 }),
  agent_100ms_latency: () =>
    benchAgent({ resources: 40_000, latencyMs: 100, sharding: 'region', shardSize: 5000, concurrency: 4 }),
  agent_100k_shard: () =>
    benchAgent({ resources: 400_000, latencyMs: 0, sharding: 'account', shardSize: 100_000, concurrency: 1 }),
  storage: () => benchStorage(),
  // One 250,000-resource account through the queue consumer's analysis, in parts and in one piece.
  analysis: () => benchAnalysis(),
  // A 200 MB Terraform state streamed into the local stack and read by the queue consumer.
  state_import_200mb: () => benchStateImport(200),
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const selected = values.only ? values.only.split(',') : Object.keys(BENCHES);
const unknown = selected.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const figures: Record<string, unknown> = {
  machine: { cpus: cpus().length, node: process.version },
  at: new Date().toISOString(),
};
for (const name of selected) {
  process.stderr.write(`bench: ${name}\n`);
  figures[name] = await BENCHES[name]!();
}
console.log(JSON.stringify(figures, null, 2));
process.exit(0);
