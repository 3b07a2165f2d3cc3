import { describe, expect, it } from 'vitest';
import { agentToken, api, lease, resource, startJob, waitForJob } from '../test/support/worker/api.js';

describe('authentication', () => {
  it('refuses /api/v1 calls without a bearer token', async () => {
    const res = await api('GET', '/api/v1/jobs', undefined, null);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('refuses a wrong token', async () => {
    const res = await api('GET', '/api/v1/jobs', undefined, 'nope');
    expect(res.status).toBe(401);
  });

  it('serves /health and the OpenAPI document without a token', async () => {
    expect((await api('GET', '/health', undefined, null)).body.status).toBe('ok');
    const doc = await api('GET', '/api/v1/openapi.json', undefined, null);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/discovery',
        '/api/v1/jobs/{job_id}',
        '/api/v1/agents/lease',
        '/api/v1/shards/{shard_id}/results',
      ]),
    );
  });
});

describe('POST /api/v1/discovery validation', () => {
  it('names the bad field in a 400', async () => {
    const res = await api('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: ['1'],
      regions: ['us-east-1'],
      sharding: { type: 'region', shard_size: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toContain('sharding.shard_size');
  });

  it('rejects an unknown provider, empty regions and unknown types', async () => {
    expect(
      (await api('POST', '/api/v1/discovery', { provider: 'oracle', regions: ['x'] })).body.error.message,
    ).toContain('provider');
    expect(
      (await api('POST', '/api/v1/discovery', { provider: 'aws', accounts: ['1'], regions: [] })).body.error.message,
    ).toContain('regions');
    const types = await api('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: ['1'],
      regions: ['us-east-1'],
      resource_types: ['AWS::EC2::Teapot'],
    });
    expect(types.status).toBe(400);
    expect(types.body.error.message).toContain('AWS::EC2::Teapot');
  });

  it('answers malformed JSON with a 400, not a 500', async () => {
    const res = await api('POST', '/api/v1/discovery', '{"provider": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  it('needs accounts when no agent of the provider has connected', async () => {
    const res = await api('POST', '/api/v1/discovery', { provider: 'gcp', regions: ['us-central1'] });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('accounts');
  });

  it('unknown routes and jobs are JSON 404s', async () => {
    expect((await api('GET', '/api/v1/nothing')).status).toBe(404);
    const res = await api('GET', '/api/v1/jobs/job_doesnotexist');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('jobs', () => {
  it('plans shards by strategy and lists jobs newest first with cursor paging', async () => {
    const byRegion = await startJob({
      regions: ['us-east-1', 'eu-west-1'],
      resource_types: ['AWS::EC2::Instance', 'AWS::EC2::VPC'],
      sharding: { type: 'region', shard_size: 100 },
    });
    expect(byRegion.shards).toBe(2);
    const byType = await startJob({
      regions: ['us-east-1', 'eu-west-1'],
      resource_types: ['AWS::EC2::Instance', 'AWS::EC2::VPC'],
      sharding: { type: 'resource-type', shard_size: 100 },
    });
    // Listings walked one by one share a shard per region, up to LISTINGS_PER_SHARD of them.
    expect(byType.shards).toBe(2);
    const byAccount = await startJob({
      accounts: ['1', '2'],
      regions: ['us-east-1', 'eu-west-1'],
      sharding: { type: 'account', shard_size: 100 },
    });
    expect(byAccount.shards).toBe(2);

    const first = await api('GET', '/api/v1/jobs?limit=2');
    expect(first.body.jobs.map((j: any) => j.job_id)).toEqual([byAccount.job_id, byType.job_id]);
    const second = await api('GET', `/api/v1/jobs?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.jobs.map((j: any) => j.job_id)).toContain(byRegion.job_id);
    expect((await api('GET', '/api/v1/jobs?cursor=garbage')).status).toBe(400);

    const detail = await api('GET', `/api/v1/jobs/${byType.job_id}`);
    expect(detail.body.status).toBe('pending');
    expect(detail.body.shards).toHaveLength(2);
    expect(detail.body.shards.map((s: any) => [s.region, s.resource_types])).toEqual([
      ['us-east-1', ['AWS::EC2::Instance', 'AWS::EC2::VPC']],
      ['eu-west-1', ['AWS::EC2::Instance', 'AWS::EC2::VPC']],
    ]);
  });

  it('uses the accounts agents with agent tokens connected for when none are given, never a lease body alone', async () => {
    // The bootstrap token may lease any account, but that makes no account known.
    await lease('666666666666');
    const { token } = await agentToken(['222222222222']);
    expect((await lease('222222222222', {}, token)).status).toBe(204);
    const res = await api('POST', '/api/v1/discovery', {
      provider: 'aws',
      regions: ['us-east-1'],
      resource_types: ['AWS::EC2::VPC'],
    });
    expect(res.status).toBe(202);
    const detail = await api('GET', `/api/v1/jobs/${res.body.job_id}`);
    expect(detail.body.accounts).toContain('222222222222');
    expect(detail.body.accounts).not.toContain('666666666666');
  });
});

describe('agent protocol over HTTP', () => {
  it('runs a job from lease to completed, storing each chunk once', async () => {
    const job = await startJob({ accounts: ['555555555555'] });
    const leased = await lease('555555555555');
    expect(leased.status).toBe(200);
    const { shard_id, lease_id } = leased.body;
    expect(leased.body.work).toEqual([{ type: 'AWS::EC2::Instance', region: 'us-east-1' }]);

    const chunk = {
      lease_id,
      sequence: 0,
      resources: [
        resource('555555555555', 'us-east-1', 'AWS::EC2::Instance', 'i-1'),
        resource('555555555555', 'us-east-1', 'AWS::EC2::Instance', 'i-2'),
      ],
    };
    expect((await api('POST', `/api/v1/shards/${shard_id}/results`, chunk)).body).toEqual({
      accepted: 2,
      duplicate: false,
    });
    expect((await api('POST', `/api/v1/shards/${shard_id}/results`, chunk)).body).toEqual({
      accepted: 2,
      duplicate: true,
    });
    expect((await api('POST', `/api/v1/shards/${shard_id}/heartbeat`, { lease_id })).status).toBe(200);

    const wrongCount = await api('POST', `/api/v1/shards/${shard_id}/complete`, { lease_id, resource_count: 4 });
    expect(wrongCount.status).toBe(409);
    expect(wrongCount.body.error.code).toBe('chunks_missing');

    const done = await api('POST', `/api/v1/shards/${shard_id}/complete`, { lease_id, resource_count: 2 });
    expect(done.body.status).toBe('succeeded');

    const finished = await waitForJob(job.job_id, ['completed', 'failed']);
    expect(finished.status).toBe('completed');
    expect(finished.counts.resources_discovered).toBe(2);

    const listed = await api('GET', '/api/v1/jobs?status=completed');
    expect(listed.body.jobs.map((j: any) => j.job_id)).toContain(job.job_id);
  });

  it('gives 409 to a stale lease once the shard was leased again', async () => {
    await startJob();
    const first = await lease();
    const failed = await api('POST', `/api/v1/shards/${first.body.shard_id}/fail`, {
      lease_id: first.body.lease_id,
      reason: 'boom',
    });
    expect(failed.body.status).toBe('pending');
    const second = await lease();
    expect(second.body.shard_id).toBe(first.body.shard_id);
    expect(second.body.attempt).toBe(2);

    const stale = await api('POST', `/api/v1/shards/${first.body.shard_id}/results`, {
      lease_id: first.body.lease_id,
      sequence: 0,
      resources: [resource('111111111111', 'us-east-1', 'AWS::EC2::Instance', 'i-old')],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('lease_conflict');
    expect(
      (await api('POST', `/api/v1/shards/${first.body.shard_id}/heartbeat`, { lease_id: second.body.lease_id })).status,
    ).toBe(200);
  });

  it('refuses resources of another account and bad chunk bodies', async () => {
    await startJob();
    const { body } = await lease();
    const foreign = await api('POST', `/api/v1/shards/${body.shard_id}/results`, {
      lease_id: body.lease_id,
      sequence: 0,
      resources: [resource('999999999999', 'us-east-1', 'AWS::EC2::Instance', 'i-x')],
    });
    expect(foreign.status).toBe(400);
    const bad = await api('POST', `/api/v1/shards/${body.shard_id}/results`, {
      lease_id: body.lease_id,
      sequence: -1,
      resources: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('sequence');
    expect((await api('POST', '/api/v1/shards/not-a-shard/heartbeat', { lease_id: 'x' })).status).toBe(404);
  });

  it('answers 204 when there is no work, after the wait', async () => {
    const res = await lease('333333333333');
    expect(res.status).toBe(204);
  });

  it('cancels a job: leases then get 409 and new leases find nothing', async () => {
    const job = await startJob({ accounts: ['444444444444'] });
    const held = await lease('444444444444');
    const cancelled = await api('POST', `/api/v1/jobs/${job.job_id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.shards.every((s: any) => s.status === 'cancelled')).toBe(true);
    const late = await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
      lease_id: held.body.lease_id,
      resource_count: 0,
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('job_finished');
    expect((await api('POST', `/api/v1/jobs/${job.job_id}/cancel`)).status).toBe(409);
    const listed = (await api('GET', '/api/v1/jobs?status=cancelled')).body.jobs.find(
      (j: any) => j.job_id === job.job_id,
    );
    expect(listed.counts).toMatchObject({ shards_total: 1, shards_cancelled: 1, shards_pending: 0 });
  });
});
