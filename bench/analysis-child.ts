import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { getPlatformProxy } from 'wrangler';
import { ACCOUNT_WIDE_REGION } from '../contract/resource-types.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import { generateEstate } from '../emulator/estate.js';
import { buildTerraformState } from '../emulator/terraform-state.js';
import { MAPPINGS, parseTerraformState } from '../engine/index.js';
import { DEFAULT_PART_LIMIT } from '../gateway-worker/queue/analysis-plan.js';
import { analyzePart } from '../gateway-worker/queue/analyze.js';
import { D1Store } from '../storage/d1/store.js';
import { BenchCoordinator, countingD1, D1Count } from './analysis-harness.js';
import { replicate } from './engine.js';

/**
 * One process of the analysis benchmark (bench/analysis.ts drives it). `seed` writes one AWS
 * account's sightings and Terraform state into a local D1; `measure` runs that account's
 * analysis through the queue consumer's code, one invocation at a time, with V8's GC trace on
 * stdout between `@@start` and `@@end` lines so the driver can find each invocation's peak heap.
 */

export const CONFIG = 'bench/analysis-worker.toml';
export const JOB = 'job_bench_analysis';
const STARTED_AT = '2026-01-01T00:00:00.000Z';
/** One consumer delivery's worth of resources per write. */
const WRITE_BATCH = 5000;

/** An AWS estate of one account, `resources` strong: a generated seed estate with drift, copied under fresh ids. */
function estate(resources: number, seedResources = 5000) {
  const generated = generateEstate({ seed: 42, resources: seedResources, only: 'aws' });
  const [account, ...others] = generated.accounts.aws;
  // One account: every other account id (in ARNs too) becomes it.
  let json = JSON.stringify(generated.resources);
  for (const other of others) json = json.replaceAll(other, account!);
  const inventory = JSON.parse(json) as typeof generated.resources;
  const { state } = buildTerraformState(inventory, { seed: 42, driftRate: 0.1, noiseRate: 0.3 });
  const instances = parseTerraformState(JSON.stringify(state), 'bench.tfstate').instances;
  const copies = Math.max(1, Math.round(resources / inventory.length));
  return { account: account!, ...replicate({ inventory, instances }, copies) };
}

async function seed(persist: string, resources: number): Promise<void> {
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: CONFIG, persist: { path: persist } });
  try {
    const store = new D1Store(countingD1(proxy.env.DB, new D1Count()));
    const { account, inventory, state } = estate(resources);
    for (let i = 0; i < inventory.length; i += WRITE_BATCH) {
      await store.upsertResources([{ job_id: JOB, resources: inventory.slice(i, i + WRITE_BATCH) }], STARTED_AT);
    }
    await store.saveStates(DEFAULT_TENANT, 'default', [state]);
    console.log(
      `@@seeded ${JSON.stringify({ account, resources: inventory.length, state_instances: state.instances.length })}`,
    );
  } finally {
    await proxy.dispose();
  }
}

/** Runs each part due until the account is analysed; `whole`: as one part of every slot, as before parts. */
async function measure(persist: string, account: string, whole: boolean, limit: number): Promise<void> {
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: CONFIG, persist: { path: persist } });
  try {
    const spec = {
      job_id: JOB,
      provider: 'aws' as const,
      accounts: [account],
      regions: ['us-east-1', 'eu-west-1'],
      resource_types: [],
      mode: 'smart' as const,
      sharding: { type: 'region' as const, shard_size: 5000 },
    };
    // Discovery covered every AWS type the engine maps, in every region.
    const types = [...new Set(MAPPINGS.filter((m) => m.provider === 'aws').map((m) => m.cloudType))];
    const scopes = types.map((type) => ({ provider: 'aws' as const, account, type, regions: [ACCOUNT_WIDE_REGION] }));
    const coordinator = new BenchCoordinator(spec, STARTED_AT, scopes);
    if (whole) coordinator.wholeAccount(account);
    else coordinator.plan(account);
    const count = new D1Count();
    count.sampleHeap = true;
    const env = {
      DB: countingD1(proxy.env.DB, count),
      JOB_COORDINATOR: { idFromName: () => JOB, get: () => coordinator },
      DRIFTMGR_STORAGE: 'd1',
      DRIFTMGR_HASH_KEY: 'bench',
      ANALYSIS_PART_LIMIT: String(limit),
    } as unknown as Env;
    setFlagsFromString('--trace-gc');
    for (let due = coordinator.due(); due.length > 0; due = coordinator.due()) {
      for (const part of due) {
        globalThis.gc?.();
        count.reset();
        const base = process.memoryUsage().heapUsed;
        console.log(`@@start ${part.stage}`);
        const started = performance.now();
        await analyzePart(env, JOB, account, part.id);
        const ms = performance.now() - started;
        const after = process.memoryUsage().heapUsed;
        const figures = {
          stage: part.stage,
          statements: count.statements,
          round_trips: count.roundTrips,
          ms,
          base,
          after,
          live: count.liveHeapPeak,
        };
        console.log(`@@end ${JSON.stringify(figures)}`);
      }
    }
    setFlagsFromString('--no-trace-gc');
    const w = coordinator.weights;
    const rpc = { largest_arguments: w.largestArguments, largest_answer: w.largestAnswer, part_limit: limit };
    console.log(`@@rpc ${JSON.stringify(rpc)}`);
  } finally {
    await proxy.dispose();
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    persist: { type: 'string' },
    resources: { type: 'string' },
    account: { type: 'string' },
    whole: { type: 'boolean' },
    limit: { type: 'string' },
  },
});
if (positionals[0] === 'seed') await seed(values.persist!, Number(values.resources));
else await measure(values.persist!, values.account!, values.whole ?? false, Number(values.limit ?? DEFAULT_PART_LIMIT));
process.exit(0);
