import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { JobDetail } from '../contract/api.js';
import type { EmulatorStats } from '../emulator/faults.js';
import { AWS_QUOTAS, type BucketUsage } from '../emulator/quotas.js';
import type { StateTruth, TerraformStateV4 } from '../emulator/terraform-state.js';
import { ensureBuilt } from '../scripts/build.js';
import { inventoryKeys, precisionRecall } from '../scripts/chaos/verdict.js';
import { compareDrift, foundIdentities, injectedIdentities } from '../scripts/drift-check.js';
import {
  applyLocalMigrations,
  bundleWorker,
  driftOf,
  ensureAdminToken,
  type GatewayCall,
  gatewayClient,
  mintAgentToken,
  startWranglerDev,
  waitForGateway,
} from '../scripts/local-stack.js';
import { importSampleStates } from '../scripts/sample-states.js';
import { freePort } from '../test/support/free-port.js';

export interface RealisticOptions {
  resources: number;
  accounts: number;
  regions: string[];
  latencyMs: number;
  /** Shards each agent of the sharded run works at once: its regions' and its account-wide one. */
  agentConcurrency: number;
  timeoutSeconds: number;
  /** Run the monolith too (the sharded run alone when false, to iterate on it). */
  monolith: boolean;
}

export const REALISTIC: RealisticOptions = {
  resources: 50_000,
  accounts: 4,
  regions: ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'],
  latencyMs: 100,
  agentConcurrency: 5,
  timeoutSeconds: 1800,
  monolith: true,
};

/**
 * The lower bound on discovery's wall time that AWS's quotas and the per-call latency allow.
 * For each (account, Region, action) bucket b, with N_b calls answered, burst C_b, refill r_b/s
 * and P_b pages in its longest listing:
 *   bound_b = max((N_b − C_b)⁺ / r_b + L, P_b × L)
 * (the last call cannot have its token before (N_b − C_b) / r_b and still takes one latency L to
 * answer; a listing's pages follow one another by NextToken, each one latency). Buckets are
 * independent and any number of calls may be in flight, so bound = max_b bound_b.
 */
export function quotaBoundSeconds(buckets: readonly BucketUsage[], latencyMs: number): number {
  const latency = latencyMs / 1000;
  let bound = 0;
  for (const b of buckets) {
    const { capacity, refillPerSecond } = AWS_QUOTAS[b.quotaClass];
    const refill = Math.max(0, b.served - capacity) / refillPerSecond + latency;
    bound = Math.max(bound, refill, b.longestListing * latency);
  }
  return bound;
}

/** Calls each bucket answered between two snapshots; the listings' pages as of the later one. */
function usageBetween(before: BucketUsage[] = [], after: BucketUsage[] = []): BucketUsage[] {
  const key = (b: BucketUsage) => `${b.account}|${b.region}|${b.bucket}`;
  const earlier = new Map(before.map((b) => [key(b), b.served]));
  return after.map((b) => ({ ...b, served: b.served - (earlier.get(key(b)) ?? 0) }));
}

/** What the emulator CLI prints on its first line. */
interface EmulatorInfo {
  endpoints: { aws: string };
  accounts: { aws: string[] };
  resources: number;
  env_by_account: { aws: Record<string, Record<string, string>> };
}

/** Peak resident set (VmHWM) of each named process, in MB, sampled while the run lasts. */
class PeakRss {
  readonly peaks: Record<string, number> = {};
  private readonly pids = new Map<string, number>();
  private readonly timer = setInterval(() => this.sample(), 250);

  watch(name: string, pid: number | undefined): void {
    if (pid !== undefined) this.pids.set(name, pid);
  }

  sample(): void {
    for (const [name, pid] of this.pids) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const mb = Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
        this.peaks[name] = Math.max(this.peaks[name] ?? 0, mb);
      } catch {
        // exited
      }
    }
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return this.peaks;
  }
}

/** The workerd under a wrangler process: the first descendant whose command is workerd. */
function workerdPid(rootPid: number): number | undefined {
  const children = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  for (const queue = [rootPid]; queue.length > 0; ) {
    const pid = queue.shift()!;
    for (const child of children(pid)) {
      const cmd = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')[0] ?? '';
      if (cmd.endsWith('workerd')) return child;
      queue.push(child);
    }
  }
  return undefined;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

interface Stack {
  base: string;
  call: GatewayCall;
  info: EmulatorInfo;
  regions: string[];
  rss: PeakRss;
  logDir: string;
  agentTokens: Map<string, string>;
}

/** One agent process for one account, as npm start runs it, stopping once no work is left. */
function startAgent(stack: Stack, account: string, concurrency: number, label: string): ChildProcess {
  const args = ['bin/driftmgr-agent.js', '--gateway', stack.base, '--provider', 'aws', '--account', account];
  args.push('--regions', stack.regions.join(','), '--concurrency', String(concurrency));
  args.push('--agent-id', `${label}-${account}`, '--once', '--wait-seconds', '1', '--log-level', 'warn');
  const agent = spawn(process.execPath, args, {
    env: {
      ...process.env,
      ...stack.info.env_by_account.aws[account],
      DRIFTMGR_AGENT_TOKEN: stack.agentTokens.get(account)!,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(stack.logDir, `${label}-${account}.log`));
  agent.stdout!.pipe(log);
  agent.stderr!.pipe(log);
  stack.rss.watch(`agent_${label}_${account}`, agent.pid);
  return agent;
}

interface RunFigures {
  job: JobDetail;
  wall_s: number;
  discovery_s: number;
  analysis_s: number;
  buckets: BucketUsage[];
  throttled: number;
}

let lastProgress = 0;

/** A line on stderr every 10 s, so a long run shows where it is. */
function progress(job: JobDetail): void {
  if (Date.now() - lastProgress < 10_000) return;
  lastProgress = Date.now();
  const c = job.counts;
  process.stderr.write(
    `realistic: ${job.job_id} ${job.status}: shards ${c.shards_succeeded + c.shards_failed}/${c.shards_total}, ` +
      `${c.resources_discovered} resources\n`,
  );
}

const emulatorStats = async (stack: Stack) =>
  (await (await fetch(`${stack.info.endpoints.aws}/__emulator/stats`)).json()) as EmulatorStats;

/**
 * One discovery job of every account and region, its agents started by `runAgents`, timed from
 * the request until the job has ended (discovery: until no shard is left to run).
 */
async function runJob(
  stack: Stack,
  sharding: { type: 'account' | 'region' | 'resource-type'; shard_size: number },
  runAgents: () => Promise<void>,
  timeoutMs: number,
): Promise<RunFigures> {
  const before = await emulatorStats(stack);
  const started = performance.now();
  const { job_id } = await stack.call<{ job_id: string }>('POST', '/api/v1/discovery', {
    provider: 'aws',
    accounts: stack.info.accounts.aws,
    regions: stack.regions,
    sharding,
  });
  const agents = runAgents();
  let discoveredAt: number | undefined;
  let job: JobDetail;
  for (const deadline = Date.now() + timeoutMs; ; ) {
    job = await stack.call<JobDetail>('GET', `/api/v1/jobs/${job_id}?shards_limit=0`);
    if (discoveredAt === undefined && job.counts.shards_pending + job.counts.shards_leased === 0)
      discoveredAt = performance.now();
    if (['completed', 'failed', 'cancelled'].includes(job.status) || Date.now() > deadline) break;
    progress(job);
    await new Promise((r) => setTimeout(r, 200));
  }
  const ended = performance.now();
  await agents;
  const after = await emulatorStats(stack);
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  return {
    job,
    wall_s: seconds(ended - started),
    discovery_s: seconds((discoveredAt ?? ended) - started),
    analysis_s: seconds(ended - (discoveredAt ?? ended)),
    buckets: usageBetween(before.quotaBuckets, after.quotaBuckets),
    throttled: after.rateLimited - before.rateLimited,
  };
}

/** Starts the emulator CLI with AWS's quotas and reads its startup line. */
async function startEmulatorCli(
  opts: RealisticOptions,
  dir: string,
): Promise<{ child: ChildProcess; info: EmulatorInfo }> {
  const args = ['bin/driftmgr-emulator.js', '--port', '0', '--seed', '7', '--resources', String(opts.resources)];
  args.push('--latency-ms', String(opts.latencyMs), '--quotas', 'aws', '--only', 'aws');
  args.push('--accounts', String(opts.accounts), '--regions', opts.regions.join(','));
  args.push('--state-dir', dir, '--write-state', join(dir, 'state.json'), '--write-truth', join(dir, 'truth.json'));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator exited ${code} before starting`)));
  });
  return { child, info: JSON.parse(line) as EmulatorInfo };
}

const perSecond = (n: number, s: number) => (s > 0 ? Math.round(n / s) : null);

/**
 * The `realistic` scenario: an AWS estate over 4 accounts × 4 regions served by the emulator
 * CLI with 100 ms per call and AWS's request quotas (`--quotas aws`), its Terraform state
 * imported with `driftmgr import`, discovered and analysed through the gateway in `wrangler
 * dev` twice: `monolith` (one agent at a time, one call at a time, one shard per account) and
 * `sharded` (one agent per account, as npm start runs them, shards by resource type). The
 * figures are the sharded run's, with the monolith's wall time, the speedup, and how close the
 * sharded discovery came to the bound the quotas allow.
 */
export async function benchRealistic(opts: RealisticOptions = REALISTIC) {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'driftmgr-bench-realistic-'));
  const logDir = join('.driftmgr', 'logs', 'bench-realistic');
  mkdirSync(logDir, { recursive: true });
  const loadBefore = loadavg()[0]!;
  const rss = new PeakRss();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const token = ensureAdminToken();
  applyLocalMigrations(join(dir, 'persist'));
  // A bundle of its own, so edits to the sources during the run do not reload the gateway.
  const bundle = bundleWorker(join(dir, 'bundle'));
  const emulator = await startEmulatorCli(opts, dir);
  rss.watch('emulator', emulator.child.pid);
  const dev = startWranglerDev(
    ['-c', 'wrangler.toml', bundle, '--no-bundle', '--port', String(port)],
    'pipe',
    join(dir, 'persist'),
  );
  const devLog = createWriteStream(join(logDir, 'gateway.log'));
  dev.stdout!.pipe(devLog);
  dev.stderr!.pipe(devLog);
  try {
    await waitForGateway(base, 120_000);
    rss.watch('workerd', workerdPid(dev.pid!));
    const call = gatewayClient(base, token);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as TerraformStateV4;
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as StateTruth;
    await importSampleStates(state, {
      gatewayUrl: base,
      token,
      call,
      workspace: 'realistic',
      logFile: join(logDir, 'import.log'),
      dir: join(dir, 'states'),
    });
    const accounts = emulator.info.accounts.aws;
    const agentTokens = new Map<string, string>();
    for (const account of accounts)
      agentTokens.set(account, await mintAgentToken(call, 'aws', [account], `bench realistic ${account}`));
    const stack: Stack = { base, call, info: emulator.info, regions: opts.regions, rss, logDir, agentTokens };
    const timeoutMs = opts.timeoutSeconds * 1000;

    const monolith = await runMonolith(opts.monolith, () =>
      runJob(
        stack,
        { type: 'account', shard_size: 100_000 },
        async () => {
          for (const account of accounts) await exited(startAgent(stack, account, 1, 'monolith'));
        },
        timeoutMs,
      ),
    );
    const sharded = await runJob(
      stack,
      // The API's default strategy, one shard per region (and one for account-wide types): each
      // region's quota buckets are drained by one walker, with no control-plane round trip per type.
      { type: 'region', shard_size: 5000 },
      async () => {
        await Promise.all(accounts.map((a) => exited(startAgent(stack, a, opts.agentConcurrency, 'sharded'))));
      },
      timeoutMs,
    );

    const injected = injectedIdentities(truth.drift, 'aws');
    const verdict = async (run: RunFigures) =>
      precisionRecall([compareDrift('aws', foundIdentities((await driftOf(call, run.job.job_id)).items), injected)]);
    const shardedDrift = await verdict(sharded);
    const monolithDrift = monolith ? await verdict(monolith) : {};
    const stored = (await inventoryKeys(call, 'aws')).length;
    const boundS = quotaBoundSeconds(sharded.buckets, opts.latencyMs);
    const resources = emulator.info.resources;
    const peaks = rss.stop();
    return {
      resources,
      wall_s: sharded.wall_s,
      resources_per_s: perSecond(resources, sharded.wall_s),
      discovery_per_s: perSecond(sharded.job.counts.resources_discovered, sharded.discovery_s),
      analysis_per_s: perSecond(resources, sharded.analysis_s),
      peak_rss_mb: peaks,
      // Analysis runs in workerd here, where its heap cannot be read per invocation (see the analysis scenario).
      analysis_peak_heap_mb: null,
      stored,
      ...shardedDrift,
      monolith_wall_s: monolith?.wall_s ?? null,
      speedup: monolith ? Math.round((monolith.wall_s / sharded.wall_s) * 10) / 10 : null,
      bound_s: Math.round(boundS * 10) / 10,
      efficiency: Math.round((boundS / sharded.wall_s) * 100) / 100,
      discovery_efficiency: Math.round((boundS / sharded.discovery_s) * 100) / 100,
      sharded: summary(sharded),
      monolith: monolith ? { ...summary(monolith), ...monolithDrift } : null,
      load_average: [Math.round(loadBefore * 100) / 100, Math.round(loadavg()[0]! * 100) / 100],
    };
  } finally {
    rss.stop();
    dev.kill('SIGTERM');
    emulator.child.kill('SIGTERM');
    await Promise.all([exited(dev), exited(emulator.child)]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const runMonolith = (wanted: boolean, run: () => Promise<RunFigures>) => (wanted ? run() : Promise.resolve(undefined));

function summary(run: RunFigures) {
  const busiest = [...run.buckets].sort((a, b) => b.served - a.served)[0];
  return {
    status: run.job.status,
    shards: run.job.counts.shards_total,
    shards_failed: run.job.counts.shards_failed,
    discovered: run.job.counts.resources_discovered,
    discovery_s: run.discovery_s,
    analysis_s: run.analysis_s,
    calls: run.buckets.reduce((n, b) => n + b.served, 0),
    throttled: run.throttled,
    busiest_bucket: busiest,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `npx tsx bench/realistic.ts [--resources N] [--concurrency C] [--sharded-only]`: the scenario alone.
  const { values } = parseArgs({
    options: { resources: { type: 'string' }, concurrency: { type: 'string' }, 'sharded-only': { type: 'boolean' } },
  });
  const figures = await benchRealistic({
    ...REALISTIC,
    resources: Number(values.resources ?? REALISTIC.resources),
    agentConcurrency: Number(values.concurrency ?? REALISTIC.agentConcurrency),
    monolith: !values['sharded-only'],
  });
  console.log(JSON.stringify({ scenario: 'realistic', ...figures }));
  process.exit(0);
}
