import { describe, expect, it } from 'vitest';
import { agentToken, api, lease, mintToken, resource, startJob, waitForJob } from '../test/support/worker/api.js';
import { outsideShard } from './results-scope.js';

const MINE = '810000000001';
const OTHER = '810000000002';

describe('agent tokens lease only their provider and accounts', () => {
  it('refuses another account or provider with 403, and leases its own', async () => {
    const agent = await agentToken([MINE]);
    const other = await lease(OTHER, {}, agent.token);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    const gcp = await api(
      'POST',
      '/api/v1/agents/lease',
      { agent_id: 'a', provider: 'gcp', account: MINE, wait_seconds: 0 },
      agent.token,
    );
    expect(gcp.status).toBe(403);
    expect((await lease(MINE, {}, agent.token)).status).toBe(204);
  });

  it.each([
    ['control and direction-override characters', '\u0000\u202e'],
    ['a newline', '111111111111\nadmin'],
    ['a path', '../111111111111'],
    ['spaces', '1111 1111 1111'],
    ['HTML', '<img src=x>'],
  ])('refuses an account of %s in a lease body with 400, whoever asks', async (_what, account) => {
    for (const token of [undefined, (await agentToken([MINE])).token]) {
      const res = await lease(account, {}, token);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('account:');
    }
  });

  it('makes an account known only through an agent token bound to it', async () => {
    const admin = await mintToken({ role: 'admin' });
    await lease('820000000001', {}, admin.token);
    const noAccounts = { provider: 'aws', regions: ['us-east-1'], resource_types: ['AWS::EC2::VPC'] };
    const before = await api('POST', '/api/v1/discovery', noAccounts);
    if (before.status === 202) {
      const job = await api('GET', `/api/v1/jobs/${before.body.job_id}`);
      expect(job.body.accounts).not.toContain('820000000001');
    } else expect(before.status).toBe(422);
    await lease('820000000002', {}, (await agentToken(['820000000002'])).token);
    const after = await api('POST', '/api/v1/discovery', noAccounts);
    expect(after.status).toBe(202);
    const job = await api('GET', `/api/v1/jobs/${after.body.job_id}`);
    expect(job.body.accounts).toContain('820000000002');
    expect(job.body.accounts).not.toContain('820000000001');
  });
});

describe("an agent's calls on a shard", () => {
  it("refuses another account's agent even with the lease id, and leaves the lease to its holder", async () => {
    await startJob({ accounts: [MINE] });
    const mine = await agentToken([MINE]);
    const held = await lease(MINE, { wait_seconds: 5 }, mine.token);
    expect(held.status).toBe(200);
    const { shard_id, lease_id } = held.body;
    const stranger = (await agentToken([OTHER])).token;
    for (const [action, body] of [
      ['heartbeat', { lease_id }],
      ['results', { lease_id, sequence: 0, resources: [] }],
      ['complete', { lease_id, resource_count: 0 }],
      ['fail', { lease_id, reason: 'not mine' }],
    ] as const) {
      const res = await api('POST', `/api/v1/shards/${shard_id}/${action}`, body, stranger);
      expect(res.status, action).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api('POST', `/api/v1/shards/${shard_id}/heartbeat`, { lease_id }, mine.token)).status).toBe(200);
  });

  it("refuses results outside the shard's region or type with 400, writing none of the chunk", async () => {
    const account = '810000000003';
    const job = await startJob({ accounts: [account] });
    const agent = await agentToken([account]);
    const held = await lease(account, { wait_seconds: 5 }, agent.token);
    expect(held.status).toBe(200);
    const { shard_id, lease_id } = held.body;
    const good = resource(account, 'us-east-1', 'AWS::EC2::Instance', 'i-good');
    const send = (resources: unknown[]) =>
      api('POST', `/api/v1/shards/${shard_id}/results`, { lease_id, sequence: 0, resources }, agent.token);

    const vpcElsewhere = await send([good, resource(account, 'ap-south-1', 'AWS::EC2::VPC', 'vpc-x')]);
    expect(vpcElsewhere.status).toBe(400);
    expect(vpcElsewhere.body.error.message).toContain('type AWS::EC2::VPC is not listed by this shard');
    expect(vpcElsewhere.body.error.message).toContain('AWS::EC2::Instance in us-east-1');
    expect(vpcElsewhere.body.error.details.resources).toEqual([
      { id: 'vpc-x', why: 'type AWS::EC2::VPC is not listed by this shard' },
    ]);
    const instanceElsewhere = await send([resource(account, 'ap-south-1', 'AWS::EC2::Instance', 'i-x')]);
    expect(instanceElsewhere.status).toBe(400);
    expect(instanceElsewhere.body.error.message).toContain('region ap-south-1 is outside');
    const otherAccount = await send([resource('999999999999', 'us-east-1', 'AWS::EC2::Instance', 'i-y')]);
    expect(otherAccount.status).toBe(400);

    // Sequence 0 was never taken: the same sequence now carries the good resource alone.
    expect((await send([good])).body).toEqual({ accepted: 1, duplicate: false });
    const done = await api('POST', `/api/v1/shards/${shard_id}/complete`, { lease_id, resource_count: 1 }, agent.token);
    expect(done.status).toBe(200);
    const finished = await waitForJob(job.job_id, ['completed', 'failed']);
    expect(finished.counts.resources_discovered).toBe(1);
    const stored = await api('GET', `/api/v1/resources?job_id=${job.job_id}`);
    expect(stored.body.resources.map((r: { id: string }) => r.id)).toEqual(['i-good']);
  });

  it('takes from account-wide listings what lies in the job regions, their zones, global and multi-regions', () => {
    const shard = {
      duplicate: false,
      attempt: 1,
      job_id: 'job_x',
      provider: 'gcp',
      account: 'driftmgr-proj',
      work: [{ type: 'storage.googleapis.com/Bucket', region: '*' }],
      regions: ['us-central1'],
    };
    const at = (region: string) => ({
      provider: 'gcp' as const,
      account: 'driftmgr-proj',
      region,
      type: 'storage.googleapis.com/Bucket',
      id: `b-${region}`,
      attributes: {},
      tags: {},
    });
    for (const region of ['us-central1', 'us-central1-a', 'global', 'US', 'NAM4']) {
      expect(outsideShard(at(region), shard), region).toBeNull();
    }
    expect(outsideShard(at('europe-west1'), shard)).toContain('region europe-west1 is outside');
    expect(outsideShard({ ...at('us-central1'), type: 'compute.googleapis.com/Disk' }, shard)).toContain('type');
  });
});
