import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDetail } from '../../contract/api.js';
import type { Provider } from '../../contract/resource.js';
import { type RunningEmulator, startEmulator } from '../../emulator/server.js';
import { buildTerraformState } from '../../emulator/terraform-state.js';
import { exited } from '../../scripts/chaos/agent-fleet.js';
import { LocalGateway } from '../../scripts/chaos/local-gateway.js';
import {
  applyLocalMigrations,
  bundleWorker,
  ensureAdminToken,
  type GatewayCall,
  gatewayClient,
} from '../../scripts/local-stack.js';
import { freePort } from './free-port.js';

/** A running local system with analysed jobs in it, for tests that look at it from outside. */
export interface DemoStack {
  base: string;
  token: string;
  call: GatewayCall;
  /** The finished jobs, in the order they were started. */
  jobs: JobDetail[];
  stop(): Promise<void>;
}

export interface DemoStackOptions {
  resources: number;
  seed: number;
  /** Rounds of discovery jobs, one job per provider named: a round's jobs run together, and each round after the one before. */
  rounds: Provider[][];
  timeoutMs: number;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

function startAgents(base: string, token: string, emulator: RunningEmulator, providers: Provider[]): ChildProcess[] {
  return providers.flatMap((provider) =>
    emulator.accounts[provider].map((account) =>
      spawn(
        process.execPath,
        [
          'bin/driftmgr-agent.js',
          ...['--gateway', base, '--token', token, '--provider', provider, '--account', account],
          ...['--regions', emulator.regions[provider].join(','), '--concurrency', '4', '--log-level', 'warn'],
          ...['--wait-seconds', '2'],
        ],
        { env: { ...process.env, ...emulator.agentEnv(provider, account) }, stdio: 'ignore' },
      ),
    ),
  );
}

async function startJob(call: GatewayCall, emulator: RunningEmulator, provider: Provider): Promise<string> {
  const accepted = await call<{ job_id: string }>('POST', '/api/v1/discovery', {
    provider,
    accounts: emulator.accounts[provider],
    regions: emulator.regions[provider],
    sharding: { type: 'account', shard_size: 1000 },
  });
  return accepted.job_id;
}

async function finished(call: GatewayCall, jobId: string, deadline: number): Promise<JobDetail> {
  for (;;) {
    const job = await call<JobDetail>('GET', `/api/v1/jobs/${jobId}`);
    if (FINISHED.has(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} at the deadline`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The system as `npm start` runs it, small: the Worker bundled once and served by `wrangler dev`
 * (so edits to the checkout never reload it), the cloud emulator, the sample Terraform state
 * imported, one agent per account of each cloud asked for, and the discovery jobs run to the end.
 */
export async function startDemoStack(opts: DemoStackOptions): Promise<DemoStack> {
  const workDir = mkdtempSync(join(tmpdir(), 'driftmgr-demo-'));
  const logFile = join(workDir, 'gateway.log');
  const token = ensureAdminToken();
  let gateway: LocalGateway | undefined;
  let emulator: RunningEmulator | undefined;
  let agents: ChildProcess[] = [];
  const stop = async () => {
    for (const agent of agents) agent.kill('SIGTERM');
    await Promise.all([gateway?.stop(), emulator?.close(), ...agents.map(exited)]);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + opts.timeoutMs;
    const persistDir = join(workDir, 'state');
    const bundle = bundleWorker(join(workDir, 'bundle'));
    applyLocalMigrations(persistDir);
    gateway = new LocalGateway({ port: await freePort(), persistDir, bundle, wranglerArgs: [], logFile });
    emulator = await startEmulator({ port: 0, seed: opts.seed, resources: opts.resources, stateDir: workDir });
    await gateway.start();
    const call = gatewayClient(gateway.url, token);
    const { state } = buildTerraformState(emulator.estate.resources, { seed: opts.seed });
    await call('POST', '/api/v1/import?workspace=demo&name=sample-estate.tfstate', state);
    agents = startAgents(gateway.url, token, emulator, [...new Set(opts.rounds.flat())]);
    const jobs: JobDetail[] = [];
    for (const round of opts.rounds) {
      const started = await Promise.all(round.map((provider) => startJob(call, emulator!, provider)));
      jobs.push(...(await Promise.all(started.map((jobId) => finished(call, jobId, deadline)))));
    }
    return { base: gateway.url, token, call, jobs, stop };
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- gateway log (end) ---\n${log}`);
  }
}
