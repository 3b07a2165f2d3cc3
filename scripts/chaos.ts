import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { JobDetail } from '../contract/api.js';
import { Provider } from '../contract/resource.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import { buildTerraformState, type InjectedDrift } from '../emulator/terraform-state.js';
import { freePort } from '../test/support/free-port.js';
import { AgentFleet } from './chaos/agent-fleet.js';
import { LocalGateway } from './chaos/local-gateway.js';
import { type ResendProxy, startResendProxy } from './chaos/resend-proxy.js';
import { checkInventory, compareJobDrift, inventoryKeys, jobVerdict, precisionRecall } from './chaos/verdict.js';
import {
  allShardsOf,
  applyLocalMigrations,
  bundleWorker,
  ensureAdminToken,
  type GatewayCall,
  gatewayClient,
  mintAgentToken,
} from './local-stack.js';

/**
 * `npm run chaos`: two overlapping discovery jobs over one emulated cloud while everything
 * around them fails. The emulator throttles, fails and drops cloud calls; agents are SIGKILLed
 * and restarted every few seconds; the gateway (`wrangler dev`, local persistence) is killed
 * and restarted mid-job; a proxy between agents and gateway sends some results chunks twice.
 * Then the stored inventory is compared with the estate and each job's drift with the drift
 * injected into the imported state. Prints one JSON line; exits 0 only when nothing was lost or
 * duplicated, the chaos asked for happened, and both jobs completed with exactly that drift.
 */
const { values: flags } = parseArgs({
  options: {
    // The generator lands within a few dozen of the request: this keeps the estate over 50,000.
    resources: { type: 'string', default: '50100' },
    seed: { type: 'string', default: '7' },
    provider: { type: 'string', default: 'aws' },
    'agents-per-account': { type: 'string', default: '3' },
    'agent-concurrency': { type: 'string', default: '2' },
    'kill-every-seconds': { type: 'string', default: '8' },
    'max-agent-kills': { type: 'string', default: '1000' },
    'gateway-restarts': { type: 'string', default: '1' },
    'resend-rate': { type: 'string', default: '0.05' },
    'resend-burst': { type: 'string', default: '0' },
    'throttle-rate': { type: 'string', default: '0.05' },
    'error-rate': { type: 'string', default: '0.01' },
    'drop-rate': { type: 'string', default: '0.01' },
    'shard-size': { type: 'string', default: '1000' },
    'lease-ttl-seconds': { type: 'string', default: '15' },
    'max-shard-attempts': { type: 'string', default: '10' },
    'chunk-write-timeout-seconds': { type: 'string', default: '120' },
    'timeout-seconds': { type: 'string', default: '3600' },
    'unrecorded-drift': { type: 'string', default: '0' },
    'log-dir': { type: 'string', default: '.driftmgr/logs/chaos' },
  },
  strict: true,
});

const num = (name: keyof typeof flags): number => {
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: expected a number ≥ 0, got ${flags[name]}`);
  return n;
};

const settings = {
  resources: num('resources'),
  seed: num('seed'),
  provider: Provider.parse(flags.provider),
  agentsPerAccount: num('agents-per-account'),
  agentConcurrency: num('agent-concurrency'),
  killEveryMs: num('kill-every-seconds') * 1000,
  maxAgentKills: num('max-agent-kills'),
  gatewayRestarts: num('gateway-restarts'),
  resendRate: num('resend-rate'),
  resendBurst: num('resend-burst'),
  faultRates: { throttle: num('throttle-rate'), 'server-error': num('error-rate'), drop: num('drop-rate') },
  shardSize: num('shard-size'),
  timeoutMs: num('timeout-seconds') * 1000,
  unrecordedDrift: num('unrecorded-drift'),
  logDir: flags['log-dir']!,
  wranglerVars: {
    LEASE_TTL_SECONDS: flags['lease-ttl-seconds'],
    MAX_SHARD_ATTEMPTS: flags['max-shard-attempts'],
    RETRY_BASE_SECONDS: '1',
    CHUNK_WRITE_TIMEOUT_SECONDS: flags['chunk-write-timeout-seconds'],
  },
};

/** Set on SIGINT or SIGTERM: the chaos loop stops at its next tick, and nothing new is started. */
const stopping = new AbortController();
/** How often the jobs are looked at (and chaos decided); every loop also ends at the timeout. */
const TICK_MS = 1000;
/** The second job starts once the first has run this long, if it found nothing sooner. */
const OVERLAP_AFTER_MS = 15_000;
const FINISHED = ['completed', 'failed', 'cancelled'];

function log(message: string): void {
  process.stderr.write(`[chaos] ${message}\n`);
}

interface Stack {
  emulator: RunningEmulator;
  gateway: LocalGateway;
  proxy: ResendProxy;
  fleet: AgentFleet;
  call: GatewayCall;
}

/** What the chaos loop did, besides the jobs it ran. */
interface ChaosLog {
  jobIds: string[];
  restarts: number;
}

/** One job over every account and region of the cloud, sharded as asked. */
async function startJob(stack: Stack, sharding: 'region' | 'resource-type'): Promise<string> {
  const { emulator } = stack;
  const accepted = await stack.call<{ job_id: string; shards: number }>('POST', '/api/v1/discovery', {
    provider: settings.provider,
    accounts: emulator.accounts[settings.provider],
    regions: emulator.regions[settings.provider],
    sharding: { type: sharding, shard_size: settings.shardSize },
  });
  log(`job ${accepted.job_id} sharded by ${sharding}: ${accepted.shards} shards`);
  return accepted.job_id;
}

/** The jobs as the gateway sees them now; undefined while it is down. */
async function readJobs(call: GatewayCall, jobIds: string[]): Promise<JobDetail[] | undefined> {
  try {
    // Counts only: the chaos loop reads no shard.
    return await Promise.all(jobIds.map((id) => call<JobDetail>('GET', `/api/v1/jobs/${id}?shards_limit=0`)));
  } catch {
    return undefined;
  }
}

/** Share of the jobs' resources discovered so far, over the whole estate once per job. */
function progressOf(jobs: JobDetail[], estateSize: number): number {
  return jobs.reduce((n, j) => n + j.counts.resources_discovered, 0) / (jobs.length * estateSize);
}

/**
 * SIGKILLs an agent every `killEveryMs` (and starts another in its place) until `done` aborts,
 * on its own clock, so a slow gateway or its restart never spaces the kills out.
 */
async function killAgents(fleet: AgentFleet, done: AbortSignal): Promise<void> {
  if (settings.killEveryMs === 0) return;
  while (fleet.kills < settings.maxAgentKills) {
    const waited = await sleep(settings.killEveryMs, true, { signal: done }).catch(() => false);
    if (!waited) return;
    const killed = await fleet.killOne(Math.random);
    if (killed) log(`killed agent ${killed}`);
  }
}

/**
 * Runs the jobs to their end under chaos: agents killed every few seconds, the gateway
 * restarted at evenly spaced points of the jobs' progress, the second job started while the
 * first runs. Bounded by the timeout, looking at the jobs once a second.
 */
async function runUnderChaos(stack: Stack): Promise<ChaosLog> {
  const started = Date.now();
  const deadline = started + settings.timeoutMs;
  const estateSize = stack.emulator.estate.resources.length;
  const chaos: ChaosLog = { jobIds: [await startJob(stack, 'region')], restarts: 0 };
  stack.proxy.burst(settings.resendBurst);
  const jobsOver = new AbortController();
  const kills = killAgents(stack.fleet, AbortSignal.any([jobsOver.signal, stopping.signal]));
  try {
    for (let tick = 0; Date.now() < deadline && tick < settings.timeoutMs / TICK_MS; tick++) {
      await sleep(TICK_MS);
      if (stopping.signal.aborted) break;
      const jobs = await readJobs(stack.call, chaos.jobIds);
      if (!jobs) continue;
      if (
        chaos.jobIds.length === 1 &&
        (jobs[0]!.counts.resources_discovered > 0 || Date.now() - started > OVERLAP_AFTER_MS)
      ) {
        chaos.jobIds.push(await startJob(stack, 'resource-type'));
        continue;
      }
      if (chaos.jobIds.length === 2 && jobs.every((j) => FINISHED.includes(j.status))) break;
      const progress = progressOf(jobs, estateSize);
      if (
        chaos.restarts < settings.gatewayRestarts &&
        progress >= (chaos.restarts + 1) / (settings.gatewayRestarts + 2)
      ) {
        log(`killing the gateway at ${Math.round(progress * 100)}% discovered`);
        await stack.gateway.restart();
        chaos.restarts += 1;
        log('gateway back up');
      }
    }
  } finally {
    jobsOver.abort();
    await kills;
  }
  return chaos;
}

/** Jobs that ran at the same time as another: each counted once. */
function overlapping(jobs: JobDetail[]): number {
  const end = (j: JobDetail) => (j.finished_at ? Date.parse(j.finished_at) : Number.POSITIVE_INFINITY);
  const overlaps = (a: JobDetail, b: JobDetail) =>
    Date.parse(a.created_at) < end(b) && Date.parse(b.created_at) < end(a);
  return jobs.filter((a) => jobs.some((b) => b !== a && overlaps(a, b))).length;
}

/** The verdict as one JSON-ready object; `ok` says whether the run passed. */
async function judge(stack: Stack, chaos: ChaosLog, truth: InjectedDrift[], wallMs: number) {
  const jobs = await Promise.all(chaos.jobIds.map((id) => allShardsOf(stack.call, id)));
  const estate = stack.emulator.estate.resources;
  const inventory = checkInventory(estate, await inventoryKeys(stack.call, settings.provider), jobs);
  const comparisons = await Promise.all(jobs.map((j) => compareJobDrift(stack.call, j, truth)));
  const verdicts = jobs.map((j, i) => jobVerdict(j, comparisons[i]!));
  const proxy = stack.proxy.stats();
  const emulatorStats = stack.emulator.stats();
  const result = {
    resources: estate.length,
    stored: inventory.stored,
    lost: inventory.lost,
    duplicated: inventory.duplicated,
    unknown: inventory.unknown,
    ...precisionRecall(comparisons),
    agent_kills: stack.fleet.kills,
    gateway_restarts: chaos.restarts,
    overlapping_jobs: overlapping(jobs),
    resent_chunks: proxy.resent,
    resent_acknowledged_as_duplicates: proxy.resent_duplicates,
    agent_calls_while_gateway_down: proxy.gateway_unreachable,
    cloud_faults: { ...emulatorStats.faults, rate_limited: emulatorStats.rateLimited },
    jobs: verdicts,
    wall_seconds: Math.round(wallMs / 1000),
  };
  const killsAsked = settings.killEveryMs > 0 && settings.maxAgentKills > 0;
  const chaosHappened =
    chaos.restarts === settings.gatewayRestarts &&
    result.overlapping_jobs === 2 &&
    (!killsAsked || result.agent_kills > 0);
  const exact =
    inventory.lost === 0 &&
    inventory.duplicated === 0 &&
    inventory.unknown === 0 &&
    verdicts.every((v) => v.drift_exact);
  return { ...result, ok: exact && chaosHappened };
}

async function main(persistDir: string, stop: (fn: () => Promise<void>) => void): Promise<boolean> {
  const started = Date.now();
  mkdirSync(settings.logDir, { recursive: true });
  const token = ensureAdminToken();
  applyLocalMigrations(persistDir);
  const emulator = await startEmulator({
    port: 0,
    seed: settings.seed,
    resources: settings.resources,
    only: settings.provider,
    faultRates: settings.faultRates,
  });
  stop(() => emulator.close());
  const { state, truth } = buildTerraformState(emulator.estate.resources, { seed: settings.seed });
  log(
    `emulator: ${emulator.estate.resources.length} ${settings.provider} resources, drift injected into ${truth.drift.length}`,
  );

  const vars = Object.entries(settings.wranglerVars).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
  const bundle = bundleWorker(join(persistDir, 'worker'));
  const gateway = new LocalGateway({
    port: await freePort(),
    persistDir,
    bundle,
    wranglerArgs: vars,
    logFile: join(settings.logDir, 'gateway.log'),
  });
  stop(() => gateway.stop());
  await gateway.start();
  const call = gatewayClient(gateway.url, token);
  await call('POST', '/api/v1/import?workspace=chaos&name=chaos.tfstate', state);

  const proxy = await startResendProxy({ target: gateway.url, resendRate: settings.resendRate });
  stop(() => proxy.close());
  const agentToken = await mintAgentToken(
    call,
    settings.provider,
    emulator.accounts[settings.provider],
    'npm run chaos agents',
  );
  const fleet = new AgentFleet({
    gateway: proxy.url,
    agentToken,
    emulator,
    provider: settings.provider,
    perAccount: settings.agentsPerAccount,
    concurrency: settings.agentConcurrency,
    logDir: settings.logDir,
  });
  stop(() => fleet.stop());
  fleet.start();
  log(`gateway ${gateway.url}, agents through the resending proxy ${proxy.url}; logs in ${settings.logDir}`);

  const stack: Stack = { emulator, gateway, proxy, fleet, call };
  const chaos = await runUnderChaos(stack);
  // The check is told of all but the first `unrecorded-drift` items: a run that proves it can fail.
  const recorded = truth.drift.slice(settings.unrecordedDrift);
  const result = await judge(stack, chaos, recorded, Date.now() - started);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.ok;
}

const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-chaos-'));
/** Stops what was started, last started first. */
const stoppers: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const stopOne of stoppers) await stopOne().catch((err) => log(`stopping: ${String(err)}`));
    rmSync(persistDir, { recursive: true, force: true });
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything`);
    stopping.abort();
    void cleanUp().then(() => process.exit(1));
  });
}
let ok = false;
try {
  ok = await main(persistDir, (fn) => stoppers.unshift(fn));
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.stdout.write(`${JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) })}\n`);
} finally {
  await cleanUp();
}
process.exit(ok ? 0 : 1);
