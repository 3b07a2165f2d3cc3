import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { ensureAdminToken } from '../scripts/local-stack.js';
import { ACCOUNT, discoveredInstance, runCli, terraformState } from '../test/support/cli-run.js';
import { type EventsProxyOptions, startEventsProxy } from '../test/support/events-proxy.js';
import { startTestGateway, type TestGateway } from '../test/support/test-gateway.js';
import { startWebhookReceiver } from '../test/support/webhook-receiver.js';

// The CLI against the real gateway in `wrangler dev` (Durable Objects, queue, D1), with this
// file playing the agent over the same HTTP protocol the Node agent speaks.
const dir = mkdtempSync(join(tmpdir(), 'driftmgr-cli-'));
let gateway: TestGateway;
let url: string;
let token: string;
const STREAM_THRESHOLD = 100_000;

beforeAll(async () => {
  token = ensureAdminToken();
  // Imports over 100 KB are read in the background, so a test of a few hundred KB takes that path.
  gateway = await startTestGateway(join(dir, 'persist'), [
    '--var',
    `IMPORT_STREAM_THRESHOLD_BYTES:${STREAM_THRESHOLD}`,
  ]);
  url = gateway.url;
});

afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(args, { DRIFTMGR_URL: url, DRIFTMGR_TOKEN: token });

async function agentCall(path: string, body: unknown): Promise<Response> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok && res.status !== 204) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res;
}

/** Leases the account's next shard, uploads `resources` as its one chunk and completes it. */
async function serveOneShard(resources: DiscoveredResource[]): Promise<void> {
  const res = await agentCall('/api/v1/agents/lease', {
    agent_id: 'cli-test-agent',
    provider: 'aws',
    account: ACCOUNT,
    wait_seconds: 20,
  });
  if (res.status === 204) throw new Error('no shard to lease');
  const lease = (await res.json()) as { shard_id: string; lease_id: string };
  await agentCall(`/api/v1/shards/${lease.shard_id}/results`, { lease_id: lease.lease_id, sequence: 0, resources });
  await agentCall(`/api/v1/shards/${lease.shard_id}/complete`, {
    lease_id: lease.lease_id,
    resource_count: resources.length,
  });
}

const DISCOVER = [
  'discover',
  '--provider',
  'aws',
  '--accounts',
  ACCOUNT,
  '--regions',
  'us-east-1',
  '--types',
  'AWS::EC2::Instance',
];

/** `discover --wait` while this file serves the job's one shard; returns the run and the job id. */
async function discoverAndWait(resources: DiscoveredResource[], gatewayUrl = url) {
  const [run] = await Promise.all([
    runCli([...DISCOVER, '--wait', '--poll-interval', '200'], { DRIFTMGR_URL: gatewayUrl, DRIFTMGR_TOKEN: token }),
    serveOneShard(resources),
  ]);
  return { run, jobId: run.stdout.split('\n')[0]! };
}

/** `discover --wait` through a proxy that refuses or cuts the job events; returns the run and the events requests. */
async function discoverAndWaitThrough(proxy: Omit<EventsProxyOptions, 'target'>) {
  const through = await startEventsProxy({ target: url, ...proxy });
  try {
    const { run } = await discoverAndWait([discoveredInstance('i-web', 't3.micro')], through.url);
    return { run, eventRequests: through.eventRequests };
  } finally {
    await through.close();
  }
}

const OTHER_ACCOUNT = '999999999999';

describe('import', () => {
  it('imports every state a glob matches, in one request', async () => {
    writeFileSync(join(dir, 'web.tfstate'), terraformState([{ name: 'web', id: 'i-web', type: 't3.micro' }]));
    writeFileSync(join(dir, 'api.tfstate'), terraformState([{ name: 'api', id: 'i-api', type: 't3.small' }]));
    const run = await cli('import', join(dir, '*.tfstate'), '--workspace', 'prod');
    expect(run.stderr).toBe('imported 2 states into workspace prod\n');
    expect(run.stdout).toMatch(/prod\s+api\.tfstate\s+4\s+1\s+1\s+0/);
    expect(run.stdout).toMatch(/prod\s+web\.tfstate\s+4\s+1\s+1\s+0/);
    expect(run.code).toBe(0);
  });

  it('refuses an older serial of a state it holds with exit 2, and imports it with --replace', async () => {
    // Apart from the states the offline analysis below reads with `*.tfstate`, and in an account
    // no job here scans, so the drift tests below do not see its instance.
    const file = join(dir, 'serials', 'app.tfstate');
    const account = '999900001111';
    mkdirSync(join(dir, 'serials'));
    writeFileSync(file, terraformState([{ name: 'app', id: 'i-app', type: 't3.micro' }], 5, account));
    expect((await cli('import', file, '--workspace', 'serials')).code).toBe(0);
    writeFileSync(file, terraformState([{ name: 'app', id: 'i-app', type: 't3.large' }], 4, account));
    const refused = await cli('import', file, '--workspace', 'serials');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("serial 4 is older than the active state's 5");
    const replaced = await cli('import', file, '--workspace', 'serials', '--replace');
    expect(replaced.stdout).toMatch(/serials\s+app\.tfstate\s+4\s+4\s+1\s+0/);
    expect(replaced.code).toBe(0);
  });

  it('exits 2 naming the file the gateway refused, and 2 for a glob that matches nothing', async () => {
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, '{"version": 4, "resources": "nope"');
    const refused = await cli('import', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: broken\.json: .+\n$/);

    const nothing = await cli('import', join(dir, '*.tfplan'));
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('*.tfplan: no file matches');
  });

  it('streams a large state from disk and waits for the gateway to read it in the background', async () => {
    const instances = Array.from({ length: 3000 }, (_, n) => ({ name: `big${n}`, id: `i-big${n}`, type: 't3.micro' }));
    // Apart from the states the offline analysis below reads with `*.tfstate`.
    mkdirSync(join(dir, 'large'));
    const big = join(dir, 'large', 'big.tfstate');
    // In an account no job below scans, so its 3,000 instances are not theirs to find missing.
    writeFileSync(big, terraformState(instances, 1, OTHER_ACCOUNT));
    expect(readFileSync(big).length).toBeGreaterThan(STREAM_THRESHOLD);
    const run = await cli('import', big, '--workspace', 'large', '--poll-interval', '200');
    expect(run.stderr).toMatch(/^import imp_\w+: 1 file \(\d+\.\d MB\) uploaded, being read\n/);
    expect(run.stderr).toContain('imported 1 state into workspace large\n');
    expect(run.stdout).toMatch(/large\s+big\.tfstate\s+4\s+1\s+3000\s+0/);
    expect(run.code).toBe(0);

    // Cut short, the same file fails the import with the reason, and the state read before stays.
    writeFileSync(big, terraformState(instances, 2, OTHER_ACCOUNT).slice(0, 150_000));
    const cut = await cli('import', big, '--workspace', 'large', '--poll-interval', '200');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/error: big\.tfstate: not valid JSON \(it ends early: the file is truncated\)\n$/);
    const states = (await (
      await fetch(`${url}/api/v1/states`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      states: { workspace: string; serial: number; instances: number }[];
    };
    expect(states.states.filter((s) => s.workspace === 'large')).toMatchObject([{ serial: 1, instances: 3000 }]);
  });
});

describe('discover, jobs, job, drift', () => {
  let driftedJob: string;

  it('discover --wait follows the job to completion and prints its summary with the drift found', async () => {
    const { run, jobId } = await discoverAndWait([
      discoveredInstance('i-web', 't3.large'),
      discoveredInstance('i-api', 't3.small'),
    ]);
    driftedJob = jobId;
    expect(jobId).toMatch(/^job_[0-9a-z]+$/);
    expect(run.stderr).toContain(`discovery job ${jobId}: 1 shards, pending`);
    expect(run.stdout).toMatch(/^status\s+completed$/m);
    expect(run.stdout).toMatch(/^resources\s+2$/m);
    expect(run.stdout).toContain(`1 changed, 0 missing, 0 unmanaged (driftmgr drift --job ${jobId})`);
    // Followed over the job's event stream: --wait says so when it has to poll instead.
    expect(run.stderr).not.toContain('polling');
    expect(run.code).toBe(0);
  });

  it('drift exits 1 and lists the changed instance; --json carries every item', async () => {
    const table = await cli('drift', '--job', driftedJob);
    expect(table.stdout).toContain(`${driftedJob}: 1 in sync, 1 changed, 0 missing, 0 unmanaged`);
    expect(table.stdout).toMatch(
      /changed\s+\w+\s+\d+\s+aws_instance\.web\s+i-web\s+instance_type: t3\.micro → t3\.large/,
    );
    expect(table.code).toBe(1);

    const json = await cli('drift', '--job', driftedJob, '--json', '--all', '--limit', '1');
    const page = JSON.parse(json.stdout) as { items: { kind: string; id: string }[]; next_cursor: string | null };
    expect(page.items).toEqual([expect.objectContaining({ kind: 'changed', id: 'i-web' })]);
    expect(page.next_cursor).toBeNull();
    expect(json.code).toBe(1);

    const filtered = await cli('drift', '--job', driftedJob, '--kind', 'unmanaged');
    expect(filtered.stdout).toContain('no drift');
    expect(filtered.code).toBe(0);
  });

  it('drift exits 0 for a job that found everything as Terraform says', async () => {
    const { run, jobId } = await discoverAndWait([
      discoveredInstance('i-web', 't3.micro'),
      discoveredInstance('i-api', 't3.small'),
    ]);
    expect(run.code).toBe(0);
    const drift = await cli('drift', '--job', jobId);
    expect(drift.stdout).toContain(`${jobId}: 2 in sync, 0 changed, 0 missing, 0 unmanaged\nno drift`);
    expect(drift.code).toBe(0);
  });

  it('jobs lists them newest first and job shows the shard table', async () => {
    const list = await cli('jobs', '--provider', 'aws', '--status', 'completed', '--json');
    const jobs = (JSON.parse(list.stdout) as { jobs: { job_id: string }[] }).jobs.map((j) => j.job_id);
    expect(jobs).toHaveLength(2);
    expect(jobs[1]).toBe(driftedJob);

    const table = await cli('jobs', '--limit', '1');
    expect(table.stdout).toMatch(
      new RegExp(`^${jobs[0]}\\s+completed\\s+aws\\s+${ACCOUNT}\\s+us-east-1\\s+1/1\\s+2\\s`, 'm'),
    );
    expect(table.stderr).toContain('more jobs exist');

    const job = await cli('job', driftedJob);
    expect(job.stdout).toMatch(
      new RegExp(
        `^${driftedJob}\\.\\w+\\s+${ACCOUNT}\\s+us-east-1\\s+AWS::EC2::Instance\\s+succeeded\\s+1\\s+2\\s+cli-test-agent\\s+-$`,
        'm',
      ),
    );
    expect(job.code).toBe(0);
  });

  it('report writes the drift report to a file', async () => {
    const file = join(dir, 'drift.sarif');
    const run = await cli('report', '--job', driftedJob, '--format', 'sarif', '--output', file);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]!.results).toHaveLength(1);
  });

  it('export writes the current inventory, which analyze then reads offline', async () => {
    const file = join(dir, 'current-state.json');
    const exported = await cli('export', '--format', 'json', '--output', file);
    expect(exported.code).toBe(0);
    const offline = await runCli(['analyze', '--state', join(dir, '*.tfstate'), '--inventory', file]);
    expect(offline.stdout).toContain('2 in sync, 0 changed, 0 missing, 0 unmanaged');
    expect(offline.code).toBe(0);
  });
});

describe('cancel and gateway errors', () => {
  it('cancels a job once; a second cancel is refused with exit 2', async () => {
    const started = await cli(...DISCOVER);
    const jobId = started.stdout.trim();
    const cancelled = await cli('cancel', jobId);
    expect(cancelled.stdout).toBe(`${jobId} cancelled: 0 of 1 shards had finished\n`);
    expect(cancelled.code).toBe(0);

    const again = await cli('cancel', jobId);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: .*cancelled.*\n$/);
  });

  it("prints the server's message and exits 2 for 4xx answers", async () => {
    const unknown = await cli('job', 'job_doesnotexist');
    expect(unknown).toMatchObject({ code: 2, stderr: 'error: job job_doesnotexist not found\n' });
    const badType = await cli(
      'discover',
      '--provider',
      'aws',
      '--accounts',
      ACCOUNT,
      '--regions',
      'us-east-1',
      '--types',
      'AWS::Nope',
    );
    expect(badType).toMatchObject({ code: 2, stderr: 'error: resource_types: unknown aws type(s) AWS::Nope\n' });
    const badToken = await runCli(['jobs'], { DRIFTMGR_URL: url, DRIFTMGR_TOKEN: 'wrong' });
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toMatch(/^error: .+\n$/);
  });
});

describe('discover --wait when the job events fail', () => {
  it.each([404, 501])('discover --wait polls when the job events answer %i, and still finishes', async (status) => {
    const { run, eventRequests } = await discoverAndWaitThrough({ refuseWith: status });
    expect(eventRequests).toEqual([null]);
    expect(run.stderr).toContain(`the gateway answered ${status} for job events; polling every 200 ms`);
    expect(run.stdout).toMatch(/^status\s+completed$/m);
    expect(run.code).toBe(0);
  });

  it('discover --wait reconnects with Last-Event-ID when the events connection drops', async () => {
    const { run, eventRequests } = await discoverAndWaitThrough({ dropFirstAfter: 1 });
    expect(eventRequests.length).toBeGreaterThanOrEqual(2);
    expect(eventRequests[0]).toBeNull();
    expect(eventRequests[1]).toMatch(/^\d+$/);
    expect(run.stderr).not.toContain('polling');
    expect(run.stdout).toMatch(/^status\s+completed$/m);
    expect(run.code).toBe(0);
  });
});

describe('notifications', () => {
  it('adds a webhook that a job finding new drift signs and posts to; lists it without the secret; removes it', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const secret = 'cli-test-secret-0123456789';
      const added = await runCli(
        ['notifications', 'add', '--target-url', `${receiver.url}/hooks/cli`, '--min-severity', 'low'],
        { DRIFTMGR_URL: url, DRIFTMGR_TOKEN: token, DRIFTMGR_NOTIFICATION_SECRET: secret },
      );
      expect(added.code).toBe(0);
      const id = added.stdout.trim();
      expect(id).toMatch(/^ntf_[0-9a-z]+$/);
      const listed = await cli('notifications', 'list');
      expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+webhook\\s+low\\s+yes\\s+${receiver.url}/hooks/cli$`, 'm'));
      expect(listed.stdout).not.toContain(secret);

      const { jobId } = await discoverAndWait([discoveredInstance('i-notified', 't3.nano')]);
      const deadline = Date.now() + 30_000;
      while (receiver.received('cli').length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const [request] = receiver.received('cli');
      expect(request!.headers['x-driftmgr-delivery']).toBe(`${jobId}.${id}`);
      // The check the README shows a receiver.
      const expected = createHmac('sha256', secret)
        .update(`${request!.headers['x-driftmgr-timestamp']}.${request!.body}`)
        .digest('hex');
      expect(request!.headers['x-driftmgr-signature']).toBe(`sha256=${expected}`);
      const payload = JSON.parse(request!.body);
      expect(payload.items.map((i: { id: string }) => i.id)).toContain('i-notified');

      expect(await cli('notifications', 'remove', id)).toMatchObject({ code: 0, stdout: `removed ${id}\n` });
      expect((await cli('notifications', 'list')).stdout).toBe('no notification targets\n');
      expect(await cli('notifications', 'remove', id)).toMatchObject({
        code: 2,
        stderr: `error: notification ${id} not found\n`,
      });
      const insecure = await cli(
        'notifications',
        'add',
        '--target-url',
        'http://hooks.example.com/x',
        '--min-severity',
        'high',
      );
      expect(insecure.code).toBe(2);
      expect(insecure.stderr).toMatch(/^error: url: must be https: plain http is refused except to this machine/);
    } finally {
      await receiver.close();
    }
  });
});
