import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDetail, JobSummary } from '../../contract/api.js';
import type { Provider } from '../../contract/resource.js';
import { type GatewayCall, gatewayClient } from '../../scripts/local-stack.js';
import { freePort } from './free-port.js';

/** The local system `npm start` leaves up, with analysed jobs in it, for tests that look at it from outside. */
export interface DemoStack {
  base: string;
  token: string;
  call: GatewayCall;
  /** Every job, finished, oldest first. */
  jobs: JobDetail[];
  stop(): Promise<void>;
}

export interface DemoStackOptions {
  resources: number;
  seed: number;
  /** Discovery jobs to run, one after another, once `npm start`'s own (one per cloud) are done. */
  moreJobs: Provider[];
  timeoutMs: number;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled']);
/** The line `npm start` prints once its jobs are done and it stays up. */
const READY = /API and dashboard on (\S+) {2}\(Authorization: Bearer (\S+)\)/;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Waits for the ready line; throws with the output so far if the process ends or time runs out first. */
function ready(child: ChildProcess, deadline: number): Promise<{ base: string; token: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => reject(new Error(`npm start ${why}\n--- its output ---\n${output.slice(-6000)}`));
    const timer = setTimeout(() => fail('did not come up in time'), deadline - Date.now());
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = READY.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ base: match[1]!, token: match[2]! });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(`exited (${code ?? signal}) before it was ready`);
    });
  });
}

async function finished(call: GatewayCall, jobId: string, deadline: number): Promise<JobDetail> {
  for (;;) {
    const job = await call<JobDetail>('GET', `/api/v1/jobs/${jobId}`);
    if (FINISHED.has(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} at the deadline`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a job as `npm start` runs its own, over the provider's accounts and regions, and waits for its end. */
async function runAgain(call: GatewayCall, jobs: JobDetail[], provider: Provider, deadline: number) {
  const first = jobs.find((j) => j.provider === provider);
  if (!first) throw new Error(`npm start ran no ${provider} job to repeat`);
  const accepted = await call<{ job_id: string }>('POST', '/api/v1/discovery', {
    provider,
    accounts: first.accounts,
    regions: first.regions,
    sharding: { type: 'resource-type', shard_size: 500 },
  });
  return finished(call, accepted.job_id, deadline);
}

/**
 * `npm start` on a free port and a persistence directory of its own (the gateway in wrangler dev,
 * the emulator's sample estate, its Terraform state imported, one agent per account and one job per
 * cloud), then `moreJobs` on the agents it left running. stop() ends it all, as Ctrl-C would.
 */
export async function startDemoStack(opts: DemoStackOptions): Promise<DemoStack> {
  const deadline = Date.now() + opts.timeoutMs;
  const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-demo-'));
  const args = ['scripts/start.ts', '--port', String(await freePort()), '--persist-to', persistDir];
  args.push('--resources', String(opts.resources), '--seed', String(opts.seed));
  // CI=true would make it stop after its report.
  const env = { ...process.env };
  delete env.CI;
  const child = spawn(join('node_modules', '.bin', 'tsx'), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
    rmSync(persistDir, { recursive: true, force: true });
  };
  try {
    const { base, token } = await ready(child, deadline);
    const call = gatewayClient(base, token);
    const listed = await call<{ jobs: JobSummary[] }>('GET', '/api/v1/jobs?limit=200');
    const jobs = await Promise.all(listed.jobs.reverse().map((j) => finished(call, j.job_id, deadline)));
    for (const provider of opts.moreJobs) jobs.push(await runAgain(call, jobs, provider, deadline));
    return { base, token, call, jobs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
