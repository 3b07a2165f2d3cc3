import { listDurableObjectIds } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../contract/json-chunks.js';
import { MAX_RESOURCE_JSON_BYTES, MAX_RESOURCE_JSON_DEPTH } from '../../contract/limits.js';
import { type DiscoveredResource, resourceKey } from '../../contract/resource.js';
import { api, lease, resource, startJob, waitForJob } from '../../test/support/worker/api.js';

let accountSeq = 300_000_000_000;
/** Storage is shared within a file, so each test gets an account no other test uses. */
const freshAccount = () => String(accountSeq++);

/** A resource whose JSON with its key is exactly `bytes` long. */
function resourceOfSize(account: string, id: string, bytes: number): DiscoveredResource {
  const base = { ...resource(account, 'us-east-1', 'AWS::EC2::Instance', id), attributes: { blob: '' } };
  const size = jsonBytes(base) + jsonBytes(resourceKey(base));
  return { ...base, attributes: { blob: 'x'.repeat(bytes - size) } };
}

/** A resource nested `levels` deep as JSON, the resource object being level 1 and its attributes level 2. */
function resourceNested(account: string, id: string, levels: number): DiscoveredResource {
  let value: Record<string, unknown> = {};
  for (let level = levels; level > 2; level--) value = { a: value };
  return { ...resource(account, 'us-east-1', 'AWS::EC2::Instance', id), attributes: value };
}

/** Leases the one shard of a fresh job on a fresh account and sends it one chunk. */
async function sendOne(make: (account: string) => DiscoveredResource) {
  const account = freshAccount();
  const job = await startJob({ accounts: [account] });
  const held = await lease(account);
  const r = make(account);
  const res = await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
    lease_id: held.body.lease_id,
    sequence: 0,
    resources: [r],
  });
  return { job, held: held.body, resource: r, res };
}

const storedIds = async (ids: string[]) =>
  (
    await env.DB.prepare(`SELECT resource_id FROM resources WHERE resource_id IN (SELECT value FROM json_each(?))`)
      .bind(JSON.stringify(ids))
      .all()
  ).results.map((r) => r.resource_id);

describe('results chunks storage would refuse', () => {
  it('refuses a resource too big for one stored row with 400 naming it and the limit, and takes none of the chunk', async () => {
    const { job, held, res } = await sendOne((account) =>
      resourceOfSize(account, 'i-too-big', MAX_RESOURCE_JSON_BYTES + 1),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toContain('i-too-big');
    expect(res.body.error.message).toContain(String(MAX_RESOURCE_JSON_BYTES));
    // Nothing of the chunk was committed: the shard stored no resources.
    const done = await api('POST', `/api/v1/shards/${held.shard_id}/complete`, {
      lease_id: held.lease_id,
      resource_count: 1,
    });
    expect(done.body.error.code).toBe('chunks_missing');
    await api('POST', `/api/v1/shards/${held.shard_id}/complete`, { lease_id: held.lease_id, resource_count: 0 });
    expect((await waitForJob(job.job_id, ['completed'])).status).toBe('completed');
    expect(await storedIds(['i-too-big'])).toEqual([]);
  });

  it('refuses a resource nested deeper than the limit with 400 naming it and the limit', async () => {
    const { res } = await sendOne((account) => resourceNested(account, 'i-deep', 1_500));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toContain('i-deep');
    expect(res.body.error.message).toContain(`${MAX_RESOURCE_JSON_DEPTH} levels`);
    const justDeepEnough = await sendOne((account) => resourceNested(account, 'i-nested-ok', MAX_RESOURCE_JSON_DEPTH));
    expect(justDeepEnough.res.status).toBe(200);
    const tooDeep = await sendOne((account) => resourceNested(account, 'i-nested-over', MAX_RESOURCE_JSON_DEPTH + 1));
    expect(tooDeep.res.status).toBe(400);
  });

  it('accepts resources at the limits, and storage writes them', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const held = await lease(account);
    const atLimits = [
      resourceOfSize(account, 'i-at-size-limit', MAX_RESOURCE_JSON_BYTES),
      resourceNested(account, 'i-at-depth-limit', MAX_RESOURCE_JSON_DEPTH),
    ];
    const res = await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
      lease_id: held.body.lease_id,
      sequence: 0,
      resources: atLimits,
    });
    expect(res.status).toBe(200);
    await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
      lease_id: held.body.lease_id,
      resource_count: 2,
    });
    // The job completes only once the consumer has written every chunk.
    expect((await waitForJob(job.job_id, ['completed', 'failed'])).status).toBe('completed');
    expect((await storedIds(['i-at-size-limit', 'i-at-depth-limit'])).sort()).toEqual([
      'i-at-depth-limit',
      'i-at-size-limit',
    ]);
  });
});

describe('shard calls for a job not in the index', () => {
  it('answer 404 and create no coordinator object', async () => {
    const jobId = 'job_0000unknown0000';
    const objectsBefore = (await listDurableObjectIds(env.JOB_COORDINATOR)).length;
    for (const call of ['heartbeat', 'results', 'complete', 'fail']) {
      const res = await api('POST', `/api/v1/shards/${jobId}.0/${call}`, {
        lease_id: 'l',
        sequence: 0,
        resources: [],
        resource_count: 0,
        reason: 'x',
      });
      expect(res.status, call).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const objects = await listDurableObjectIds(env.JOB_COORDINATOR);
    expect(objects.length).toBe(objectsBefore);
    expect(objects.some((id) => id.equals(env.JOB_COORDINATOR.idFromName(jobId)))).toBe(false);
    expect((await api('GET', `/api/v1/jobs/${jobId}`)).status).toBe(404);
  });
});
