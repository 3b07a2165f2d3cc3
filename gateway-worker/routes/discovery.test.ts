import { listDurableObjectIds } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_SHARDS } from '../../contract/limits.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { LISTINGS_PER_SHARD } from '../../orchestrator-do/shard-plan.js';
import { api, lease } from '../../test/support/worker/api.js';

const indexedJobs = async () => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM jobs`).first<{ n: number }>())!.n;
const coordinatorObjects = async () => (await listDurableObjectIds(env.JOB_COORDINATOR)).length;

describe('POST /api/v1/discovery', () => {
  it('refuses requests over the shard limit at once, creating no coordinator and no index row', async () => {
    const before = { jobs: await indexedJobs(), objects: await coordinatorObjects() };
    const accounts = Array.from({ length: 1000 }, (_, i) => String(400_000_000_000 + i));
    const regions = Array.from({ length: 100 }, (_, i) => `region-${i}`);
    // 100 copies of one type by region, as reported; and every AWS type by type, which no
    // deduplication shrinks: each batch of listings per region, global types' batches once per
    // account: about a million shards whose planning alone took seconds.
    const aws = resourceTypesOf('aws');
    const batches = (listing: string) =>
      Math.ceil(aws.filter((t) => t.listing === listing).length / LISTINGS_PER_SHARD);
    const perRegion = batches('regional');
    const perAccount = batches('account');
    const requests = [
      {
        resource_types: Array.from({ length: 100 }, () => 'AWS::EC2::Instance'),
        sharding: { type: 'region' },
        shards: 100_000,
      },
      {
        resource_types: undefined,
        sharding: { type: 'resource-type' },
        shards: accounts.length * (perRegion * regions.length + perAccount),
      },
    ];
    for (const { resource_types, sharding, shards } of requests) {
      const res = await api('POST', '/api/v1/discovery', {
        provider: 'aws',
        accounts,
        regions,
        resource_types,
        sharding,
      });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toBe(
        `the job would have ${shards} shards; at most ${MAX_SHARDS}: split it by account`,
      );
    }
    expect({ jobs: await indexedJobs(), objects: await coordinatorObjects() }).toEqual(before);
  });

  it('plans each account, region and type once however often the request names it', async () => {
    const res = await api('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: ['500000000001', '500000000001', '500000000002'],
      regions: ['us-east-1', 'eu-west-1', 'us-east-1'],
      resource_types: ['AWS::EC2::VPC', 'AWS::EC2::VPC', 'AWS::EC2::Instance'],
      sharding: { type: 'resource-type', shard_size: 100 },
    });
    expect(res.status).toBe(202);
    // Both types of a region share its shard.
    expect(res.body.shards).toBe(2 * 2);
    const detail = (await api('GET', `/api/v1/jobs/${res.body.job_id}`)).body;
    expect(detail).toMatchObject({
      accounts: ['500000000001', '500000000002'],
      regions: ['us-east-1', 'eu-west-1'],
      resource_types: ['AWS::EC2::VPC', 'AWS::EC2::Instance'],
    });
    expect(detail.shards).toHaveLength(4);
    for (const shard of detail.shards) expect(shard.resource_types).toEqual(['AWS::EC2::VPC', 'AWS::EC2::Instance']);
  });

  it('indexes the job the coordinator created, with its shard count, and agents can lease it at once', async () => {
    const res = await api('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: ['500000000003'],
      regions: ['us-east-1', 'eu-west-1'],
    });
    expect(res.status).toBe(202);
    const listed = (await api('GET', '/api/v1/jobs?status=pending')).body.jobs.find(
      (j: { job_id: string }) => j.job_id === res.body.job_id,
    );
    // One shard per region, and one for the types listed once per account (IAM, S3, CloudFront).
    expect(listed.counts.shards_total).toBe(3);
    const leased = await lease('500000000003');
    expect(leased.status).toBe(200);
    expect(leased.body.job_id).toBe(res.body.job_id);
  });
});
