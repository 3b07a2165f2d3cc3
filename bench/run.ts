import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { benchAgent } from './agent.js';
import { benchAnalysis } from './analysis.js';
import { benchEngine } from './engine.js';
import { benchLeaseRoundTrip } from './lease-roundtrip.js';
import { benchRealistic } from './realistic.js';
import { benchStateImport } from './state-import.js';
import { benchStorage } from './storage.js';
import { benchThroughput } from './throughput.js';

/**
 * `npm run bench [-- --only name,name] [--million] [--resources N]`: every scenario, each
 * printed as one JSON line on stdout as soon as it ends (`scenario` names it). Each runs the
 * real parts (wrangler dev, the emulator, agent processes) on this machine.
 */
interface BenchFlags {
  /** `--resources N`, for the scenarios whose size it sets. */
  resources?: number;
}

/** The figures of the scenarios that ran before, by name. */
type Earlier = Record<string, Record<string, unknown>>;

interface Scenario {
  run: (flags: BenchFlags, earlier: Earlier) => Promise<object> | object;
  /** Runs only when named: `--only name`, or `--million` for `million`. */
  byFlag?: boolean;
}

/** One line per scenario. */
const SCENARIOS: Record<string, Scenario> = {
  control_plane: { run: () => benchLeaseRoundTrip() },
  engine: { run: () => benchEngine() },
  agent_no_latency: {
    run: () => benchAgent({ resources: 200_000, latencyMs: 0, sharding: 'region', shardSize: 5000, concurrency: 4 }),
  },
  agent_100ms_latency: {
    run: () => benchAgent({ resources: 40_000, latencyMs: 100, sharding: 'region', shardSize: 5000, concurrency: 4 }),
  },
  agent_100k_shard: {
    run: () =>
      benchAgent({ resources: 400_000, latencyMs: 0, sharding: 'account', shardSize: 100_000, concurrency: 1 }),
  },
  storage: { run: () => benchStorage() },
  // One 250,000-resource account through the queue consumer's analysis, in parts and in one piece.
  analysis: { run: () => benchAnalysis() },
  // A 200 MB Terraform state streamed into the local stack and read by the queue consumer.
  state_import_200mb: { run: () => benchStateImport(200) },
  // npm start --once end to end: import, discovery of the three clouds, analysis (bench/throughput.ts).
  throughput: {
    run: (f, earlier) =>
      benchThroughput({ resources: f.resources ?? 200_000, timeoutSeconds: 900, ...heapOf(earlier) }),
  },
  realistic: { run: () => benchRealistic() },
  million: {
    run: (_, earlier) => benchThroughput({ resources: 1_000_000, timeoutSeconds: 1800, ...heapOf(earlier) }),
    byFlag: true,
  },
};

/** The analysis scenario's peak heap, when it ran first: analysis in workerd cannot be weighed. */
function heapOf(earlier: Earlier): { analysisPeakHeapMb?: number } {
  const mb = earlier.analysis?.analysis_peak_heap_mb;
  return typeof mb === 'number' ? { analysisPeakHeapMb: mb } : {};
}

const { values } = parseArgs({
  options: { only: { type: 'string' }, million: { type: 'boolean' }, resources: { type: 'string' } },
});
const names = Object.keys(SCENARIOS);
const selected = values.only
  ? values.only.split(',')
  : names.filter((name) => !SCENARIOS[name]!.byFlag || (name === 'million' && values.million));
const unknown = selected.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${names.join(', ')}`);
  process.exit(2);
}
const flags: BenchFlags = values.resources ? { resources: Number(values.resources) } : {};
const machine = { cpus: cpus().length, node: process.version };
const earlier: Earlier = {};
for (const scenario of selected) {
  process.stderr.write(`bench: ${scenario}\n`);
  const at = new Date().toISOString();
  const figures = await SCENARIOS[scenario]!.run(flags, earlier);
  earlier[scenario] = figures as Record<string, unknown>;
  console.log(JSON.stringify({ scenario, ...figures, machine, at }));
}
process.exit(0);
