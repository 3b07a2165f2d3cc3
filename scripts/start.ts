import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { boxedTable } from '../cli/output.js';
import type { JobDetail } from '../contract/api.js';
import type { Provider } from '../contract/resource.js';
import { PROVABLE_PROVIDERS, type TokenCreated } from '../contract/tokens.js';
import { withIamPolicies } from '../emulator/gcp/iam-policies.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import { buildTerraformState, type StateTruth } from '../emulator/terraform-state.js';
import type { DriftItem } from '../engine/index.js';
import { compareJobDrift, inventoryKeys, precisionRecall } from './chaos/verdict.js';
import {
  compareDrift,
  type DriftComparison,
  foundIdentities,
  injectedIdentities,
  mismatchTable,
} from './drift-check.js';
import {
  applyLocalMigrations,
  bundleWorker,
  driftOf,
  ensureAdminToken,
  type GatewayCall,
  gatewayClient,
  startWranglerDev,
  waitForGateway,
} from './local-stack.js';
import { importSampleStates, STATE_DIR } from './sample-states.js';

/**
 * `npm start`: the whole system on this machine. The gateway with its Durable Objects,
 * queues and D1 in `wrangler dev`, a cloud emulator serving a sample estate, one agent per
 * cloud account, and one discovery job per cloud; prints the result and leaves the API up.
 * With --once (or CI=true) it stops after the report: exit 0 only when every job completed,
 * discovered exactly the estate, and found exactly the drift the sample state injected.
 */
const { values: flags } = parseArgs({
  options: {
    once: { type: 'boolean', default: process.env.CI === 'true' },
    port: { type: 'string', default: '8787' },
    resources: { type: 'string', default: '1200' },
    seed: { type: 'string', default: '42' },
    'persist-to': { type: 'string' },
    'timeout-seconds': { type: 'string', default: '300' },
    /** Writes the run's figures (phases, drift precision and recall, rows stored) to this JSON file. */
    summary: { type: 'string' },
  },
  strict: true,
});

const LOG_DIR = '.driftmgr/logs';
/** How often the jobs are polled: a small share of a phase, so phases are timed to within it. */
const POLL_MS = 250;
const REPORT_DIR = '.driftmgr/reports';
const children: ChildProcess[] = [];
let emulator: RunningEmulator | undefined;
let bundleDir: string | undefined;

function log(message: string): void {
  process.stderr.write(`[driftmgr] ${message}\n`);
}

/** Seconds each phase of the run took, in the order they ran. */
const phases: Record<string, number> = {};
let phaseStarted = performance.now();

function phaseDone(name: string): void {
  const now = performance.now();
  phases[name] = Math.round((now - phaseStarted) / 100) / 10;
  phaseStarted = now;
  log(`${name} took ${phases[name]} s`);
}

/** Starts a child whose output goes to a log file, so the console shows only the story. */
function startLogged(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const out = createWriteStream(join(LOG_DIR, `${name}.log`));
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  children.push(child);
  return child;
}

/**
 * One agent per cloud account, each with an agent token of its own made with the admin token:
 * bound to its provider and account and, where the cloud can give it, required to prove the
 * account (AWS: the emulator's STS answers for the credentials the agent runs with). No agent
 * holds the admin token; tokens reach agents through the environment, not the command line.
 */
async function startAgents(gateway: string, call: GatewayCall, emu: RunningEmulator): Promise<void> {
  for (const provider of Object.keys(emu.accounts) as Provider[]) {
    const prove = PROVABLE_PROVIDERS.includes(provider);
    for (const account of emu.accounts[provider]) {
      const { token } = await call<TokenCreated>('POST', '/api/v1/tokens', {
        role: 'agent',
        provider,
        accounts: [account],
        require_proof: prove,
        description: `npm start agent for ${provider} ${account}`,
      });
      const args = ['bin/driftmgr-agent.js', '--gateway', gateway, '--provider', provider, '--account', account];
      if (prove) args.push('--prove-account');
      args.push(
        '--regions',
        emu.regions[provider].join(','),
        '--concurrency',
        '4',
        '--agent-id',
        `demo-${provider}-${account}`,
      );
      startLogged(`agent-${provider}-${account}`, process.execPath, args, {
        ...process.env,
        ...emu.agentEnv(provider, account),
        ...(prove ? { AWS_ENDPOINT_URL_STS: emu.endpoints.aws } : {}),
        DRIFTMGR_AGENT_TOKEN: token,
      });
    }
  }
}

/**
 * Resources a shard lists before it splits: 500 shows splitting in a small demo; a large estate
 * gets larger shards (up to 5,000), as each shard costs a lease, its chunks' acknowledgements and
 * a completion at the gateway, while a type's listing runs in order whatever its shards.
 */
function shardSize(resources: number): number {
  return Math.min(5000, Math.max(500, Math.round(resources / 100)));
}

/**
 * Polls the jobs until each has ended or the time is up; the `discovery` phase ends when no
 * shard is left to run, the `analysis` phase when every job has ended.
 */
async function waitForJobs(call: GatewayCall, jobIds: string[], timeoutMs: number): Promise<JobDetail[]> {
  const deadline = Date.now() + timeoutMs;
  let discovered = false;
  let progress = '';
  for (;;) {
    const jobs = await Promise.all(jobIds.map((id) => call<JobDetail>('GET', `/api/v1/jobs/${id}?shards_limit=0`)));
    const open = jobs.filter((j) => !['completed', 'failed', 'cancelled'].includes(j.status));
    const done = jobs.reduce((n, j) => n + j.counts.shards_succeeded + j.counts.shards_failed, 0);
    const total = jobs.reduce((n, j) => n + j.counts.shards_total, 0);
    if (!discovered && (done === total || open.length === 0)) {
      discovered = true;
      phaseDone('discovery');
    }
    if (open.length === 0 || Date.now() > deadline) {
      // Out of time, the phase still running is timed to here.
      phaseDone(discovered ? 'analysis' : 'discovery');
      return jobs;
    }
    const now = discovered ? `analysing: ${open.length} job(s) left` : `discovering: ${done}/${total} shards done`;
    if (now !== progress) log((progress = now));
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Prints one row per job and says whether each found exactly what the emulator serves. */
function report(jobs: JobDetail[], emu: RunningEmulator): boolean {
  const table = boxedTable(['provider', 'job', 'status', 'shards ok/failed', 'discovered', 'in estate', 'match']);
  let allGood = true;
  for (const job of jobs) {
    const expected = withIamPolicies(emu.estate.resources).filter((r) => r.provider === job.provider).length;
    const good = job.status === 'completed' && job.counts.resources_discovered === expected;
    allGood &&= good;
    table.push([
      job.provider,
      job.job_id,
      job.status,
      `${job.counts.shards_succeeded}/${job.counts.shards_failed}`,
      job.counts.resources_discovered,
      expected,
      good ? 'yes' : 'NO',
    ]);
  }
  console.log(table.toString());
  return allGood;
}

/**
 * The drift each job found next to what the sample state injected; full reports go to files.
 * Returns each job's comparison of found and injected drift, resource by resource.
 */
async function printDrift(
  call: GatewayCall,
  base: string,
  token: string,
  jobs: JobDetail[],
  truth: StateTruth,
): Promise<DriftComparison[]> {
  const table = boxedTable([
    'provider',
    'in sync',
    'changed',
    'missing',
    'unmanaged',
    'injected c/m/u',
    'noise filtered',
    'coverage',
  ]);
  const top: DriftItem[] = [];
  const comparisons: DriftComparison[] = [];
  mkdirSync(REPORT_DIR, { recursive: true });
  for (const job of jobs.filter((j) => j.status === 'completed')) {
    const drift = await driftOf(call, job.job_id);
    const injected = injectedIdentities(truth.drift, job.provider);
    comparisons.push(compareDrift(job.provider, foundIdentities(drift.items), injected));
    const s = drift.summary;
    table.push([
      job.provider,
      s.in_sync,
      s.changed,
      s.missing,
      s.unmanaged,
      `${injected.changed.length}/${injected.missing.length}/${injected.unmanaged.length}`,
      s.noise_filtered,
      `${Math.round(s.coverage * 100)}%`,
    ]);
    top.push(...drift.items);
    for (const format of ['markdown', 'html'] as const) {
      const res = await fetch(`${base}/api/v1/drift/report?job_id=${job.job_id}&format=${format}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      writeFileSync(join(REPORT_DIR, `${job.provider}.${format === 'markdown' ? 'md' : 'html'}`), await res.text());
    }
  }
  console.log(table.toString());
  const worst = boxedTable(['severity', 'score', 'kind', 'address / id', 'what']);
  for (const item of top.sort((a, b) => b.score - a.score).slice(0, 10)) {
    const what = item.rules[0]?.title ?? item.changes.map((c) => c.path).join(', ');
    worst.push([item.severity, item.score, item.kind, item.kind === 'unmanaged' ? item.id : item.address, what]);
  }
  console.log(worst.toString());
  log(`full reports (Markdown, HTML) in ${REPORT_DIR}/`);
  return comparisons;
}

/** Says whether every job found exactly the injected drift, with a table of what differs when not. */
function checkDrift(comparisons: readonly DriftComparison[]): boolean {
  if (comparisons.length === 0) return false;
  const mismatches = mismatchTable(comparisons);
  if (mismatches) {
    log('drift found differs from drift injected:');
    console.log(mismatches);
    return false;
  }
  log(`drift found matches drift injected for ${comparisons.map((c) => c.provider).join(', ')}`);
  return true;
}

/**
 * The run's figures for benchmarks (bench/throughput.ts): the estate's size, each phase's
 * seconds, the drift found against the drift injected, and the rows the inventory holds.
 */
async function writeSummary(
  file: string,
  call: GatewayCall,
  jobs: JobDetail[],
  truth: StateTruth,
  ok: boolean,
): Promise<void> {
  // A job that did not complete found nothing: its cloud's injected drift counts as missed.
  const comparisons = await Promise.all(jobs.map((j) => compareJobDrift(call, j, truth.drift)));
  const stored = new Set<string>();
  for (const provider of new Set(jobs.map((j) => j.provider))) {
    for (const key of await inventoryKeys(call, provider)) stored.add(key);
  }
  const summary = {
    ok,
    resources: emulator!.estate.resources.length,
    discovered: jobs.reduce((n, j) => n + j.counts.resources_discovered, 0),
    stored: stored.size,
    ...precisionRecall(comparisons),
    shards: jobs.reduce((n, j) => n + j.counts.shards_total, 0),
    phases_s: phases,
  };
  writeFileSync(file, `${JSON.stringify(summary)}\n`);
}

/**
 * wrangler flags that run the Worker bundled once: a --once run must not reload, dropping the
 * requests in flight, when the checkout's sources change while it runs.
 */
function frozenWorker(): string[] {
  bundleDir = mkdtempSync(join(tmpdir(), 'driftmgr-start-'));
  return ['-c', 'wrangler.toml', bundleWorker(bundleDir), '--no-bundle'];
}

async function shutdown(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await emulator?.close();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
}

async function main(): Promise<number> {
  mkdirSync(LOG_DIR, { recursive: true });
  const token = ensureAdminToken();
  const gatewayUrl = `http://127.0.0.1:${flags.port}`;
  const call = gatewayClient(gatewayUrl, token);
  log('applying D1 migrations');
  applyLocalMigrations(flags['persist-to']);
  // The sample state is served from every state backend too, for state sources registered by hand
  // (README); a --once run registers none, and building them takes minutes at a million resources.
  emulator = await startEmulator({
    port: 0,
    seed: Number(flags.seed),
    resources: Number(flags.resources),
    sampleStates: !flags.once,
  });
  log(
    `cloud emulator: ${emulator.estate.resources.length} resources at ${Object.values(emulator.endpoints).join(', ')}; ` +
      `state backends at ${emulator.stateEndpoint}`,
  );

  // The gateway checks AWS agents' proofs of account against the emulator's STS.
  const stsVar = `AWS_STS_ENDPOINT:${emulator.endpoints.aws}`;
  const dev = startWranglerDev(
    ['--port', flags.port!, '--var', stsVar, ...(flags.once ? frozenWorker() : [])],
    'pipe',
    flags['persist-to'],
  );
  const devLog = createWriteStream(join(LOG_DIR, 'gateway.log'));
  dev.stdout!.pipe(devLog);
  dev.stderr!.pipe(devLog);
  children.push(dev);
  // Built while the gateway starts.
  const { state, truth } = buildTerraformState(emulator.estate.resources, { seed: Number(flags.seed) });
  await waitForGateway(gatewayUrl);
  log(`gateway up at ${gatewayUrl}`);
  phaseDone('setup');
  const imported = await importSampleStates(state, {
    gatewayUrl,
    token,
    call,
    workspace: 'demo',
    logFile: join(LOG_DIR, 'import.log'),
  });
  log(
    `imported the sample Terraform state with driftmgr import as ${imported.files} state files in ${STATE_DIR}/ ` +
      `(per account, environment and component; ${(imported.bytes / 1e6).toFixed(1)} MB): ` +
      `${truth.counts.state_instances} instances, drift injected into ${truth.drift.length} resources`,
  );
  phaseDone('import');

  await startAgents(gatewayUrl, call, emulator);
  log(`agents started: ${children.length - 1} (logs in ${LOG_DIR})`);

  const jobIds: string[] = [];
  for (const provider of Object.keys(emulator.accounts) as Provider[]) {
    const accepted = await call<{ job_id: string; shards: number }>('POST', '/api/v1/discovery', {
      provider,
      accounts: emulator.accounts[provider],
      regions: emulator.regions[provider],
      sharding: { type: 'resource-type', shard_size: shardSize(emulator.estate.resources.length) },
    });
    log(`${provider} discovery job ${accepted.job_id}: ${accepted.shards} shards`);
    jobIds.push(accepted.job_id);
  }
  const jobs = await waitForJobs(call, jobIds, Number(flags['timeout-seconds']) * 1000);
  const discovered = report(jobs, emulator);
  const comparisons = await printDrift(call, gatewayUrl, token, jobs, truth);
  const driftExact = checkDrift(comparisons);
  log(discovered ? 'every job completed and discovered the whole estate' : 'discovery did not find the whole estate');
  phaseDone('report');
  if (flags.summary) await writeSummary(flags.summary, call, jobs, truth, discovered && driftExact);

  if (flags.once) return discovered && driftExact ? 0 : 1;
  log(`API and dashboard on ${gatewayUrl}  (Authorization: Bearer ${token}); Ctrl-C stops everything`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await shutdown();
}
process.exit(code);
