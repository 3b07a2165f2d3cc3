import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashSensitive, sensitiveKeyFrom } from '../engine/index.js';
import { agentToken, api, HASH_KEY, mintToken, TOKEN } from '../test/support/worker/api.js';

const ACCOUNT = '830000000001';
const OTHER = '830000000002';

function terraformState(lineage: string, serial: number, password = 'hunter2') {
  return {
    version: 4,
    terraform_version: '1.9.0',
    serial,
    lineage,
    outputs: {},
    resources: [
      {
        mode: 'managed',
        type: 'aws_instance',
        name: 'web',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        // A value analysis compares, marked sensitive: it must be kept, as its keyed hash only.
        instances: [
          {
            attributes: { id: `i-${serial}`, instance_type: password },
            sensitive_attributes: [[{ type: 'get_attr', value: 'instance_type' }]],
          },
        ],
      },
    ],
  };
}

const LINEAGE = 'cd000000-0000-4000-8000-0000000000cd';

async function register(body: Record<string, unknown> = {}) {
  const res = await api('POST', '/api/v1/state-sources', {
    type: 's3',
    location: 's3://team-states/prod',
    provider: 'aws',
    account: ACCOUNT,
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body.source_id as string;
}

const leaseRead = (token: string, account = ACCOUNT, wait = 0) =>
  api(
    'POST',
    '/api/v1/agents/state-lease',
    { agent_id: 'reader', provider: 'aws', account, wait_seconds: wait },
    token,
  );

/** Uploads a state as its raw file, the way an agent does. */
async function upload(token: string, sourceId: string, leaseId: string, name: string, state: unknown) {
  const query = new URLSearchParams({ lease_id: leaseId, name });
  const res = await exports.default.fetch(
    new Request(`http://gateway.test/api/v1/state-sources/${sourceId}/states?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(state),
    }),
  );
  return { status: res.status, body: (await res.json()) as any };
}

const statesNamed = async (prefix: string) =>
  (await api('GET', '/api/v1/states')).body.states.filter((s: { name: string }) => s.name.startsWith(prefix));

describe('registering state sources', () => {
  it.each([
    ['an unknown type', { type: 'consul' }, 'type'],
    ['an s3 location of another scheme', { location: 'gs://team-states/prod' }, 'location'],
    ['a bucket name S3 refuses', { location: 's3://Team_States/prod' }, 'location'],
    ['an unknown s3 parameter', { location: 's3://team-states/prod?regoin=eu-west-1' }, 'location'],
    ['an azurerm location without a container', { type: 'azurerm', location: 'azurerm://acct1' }, 'location'],
    [
      'a remote location that is not a workspace page',
      { type: 'remote', location: 'https://app.terraform.io/x' },
      'location',
    ],
    ['plain http to another machine', { type: 'http', location: 'http://states.example.com/app' }, 'location'],
    ['credentials in the address', { type: 'http', location: 'https://u:p@states.example.com/app' }, 'location'],
    ['a schedule that is not a cron', { schedule: 'every hour' }, 'schedule'],
    ['an account with a path in it', { account: '../830000000001' }, 'account'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const res = await api('POST', '/api/v1/state-sources', {
      type: 's3',
      location: 's3://team-states/prod',
      provider: 'aws',
      account: ACCOUNT,
      ...body,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`${field}:`);
  });

  it('lists, shows and deletes sources, each due for a first read at once', async () => {
    const id = await register({
      type: 'gcs',
      location: 'gs://team-states/net',
      provider: 'gcp',
      account: 'proj-states-1',
    });
    const shown = await api('GET', `/api/v1/state-sources/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      type: 'gcs',
      location: 'gs://team-states/net',
      schedule: null,
      reading: false,
      last_read: null,
    });
    expect(Date.parse(shown.body.next_read_at)).toBeLessThanOrEqual(Date.now());
    expect((await api('GET', '/api/v1/state-sources')).body.state_sources.map((s: any) => s.source_id)).toContain(id);
    expect((await api('DELETE', `/api/v1/state-sources/${id}`)).status).toBe(204);
    expect((await api('GET', `/api/v1/state-sources/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/api/v1/state-sources/${id}`)).status).toBe(404);
  });

  it('lets readers list but not register, and agents neither', async () => {
    const reader = await mintToken({ role: 'reader' });
    expect((await api('GET', '/api/v1/state-sources', undefined, reader.token)).status).toBe(200);
    const body = { type: 's3', location: 's3://b-bucket', provider: 'aws', account: ACCOUNT };
    expect((await api('POST', '/api/v1/state-sources', body, reader.token)).status).toBe(403);
    const agent = await agentToken([ACCOUNT]);
    expect((await api('GET', '/api/v1/state-sources', undefined, agent.token)).status).toBe(403);
  });
});

describe('reading a state source', () => {
  it('stores each state under its address and workspace, hashing secrets with the gateway key; unchanged states write nothing', async () => {
    const sourceId = await register({ location: 's3://team-states/prod', account: ACCOUNT });
    const agent = await agentToken([ACCOUNT]);
    const leased = await leaseRead(agent.token);
    expect(leased.status).toBe(200);
    expect(leased.body).toMatchObject({
      source_id: sourceId,
      type: 's3',
      location: 's3://team-states/prod',
      known: [],
    });
    const leaseId = leased.body.lease_id;

    const stored = await upload(
      agent.token,
      sourceId,
      leaseId,
      's3://team-states/prod/app.tfstate',
      terraformState(LINEAGE, 4),
    );
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({
      outcome: 'stored',
      state: { workspace: 'default', serial: 4, lineage: LINEAGE },
    });
    const staging = await upload(
      agent.token,
      sourceId,
      leaseId,
      's3://team-states/env:/staging/prod/app.tfstate',
      terraformState('ef000000-0000-4000-8000-0000000000ef', 1),
    );
    expect(staging.body.state.workspace).toBe('staging');
    // An address outside the source, or not a state: refused, nothing written.
    for (const name of [
      's3://team-states/dev/app.tfstate',
      's3://other-bucket/prod/app.tfstate',
      's3://team-states/prod/notes.txt',
    ]) {
      expect((await upload(agent.token, sourceId, leaseId, name, terraformState(LINEAGE, 9))).status).toBe(400);
    }
    const exported = JSON.stringify((await api('GET', '/api/v1/export')).body.states);
    expect(exported).not.toContain('hunter2');
    expect(exported).toContain(JSON.stringify(hashSensitive('hunter2', sensitiveKeyFrom(HASH_KEY))));

    const done = await api(
      'POST',
      `/api/v1/state-sources/${sourceId}/complete`,
      {
        lease_id: leaseId,
        states: [
          { name: 's3://team-states/prod/app.tfstate', outcome: 'stored' },
          { name: 's3://team-states/env:/staging/prod/app.tfstate', outcome: 'stored' },
          { name: 's3://team-states/prod/broken.tfstate', outcome: 'invalid', message: 'not JSON' },
        ],
      },
      agent.token,
    );
    expect(done.body).toEqual({ source_id: sourceId, status: 'succeeded', next_read_at: null });
    const source = (await api('GET', `/api/v1/state-sources/${sourceId}`)).body;
    expect(source.last_read).toMatchObject({
      status: 'succeeded',
      counts: { stored: 2, unchanged: 0, refused: 0, invalid: 1 },
      problems: [{ name: 's3://team-states/prod/broken.tfstate', outcome: 'invalid', message: 'not JSON' }],
    });
    expect(source.next_read_at).toBeNull();
    expect((await leaseRead(agent.token)).status).toBe(204);

    // Read again: the lease tells what is held, the same lineage and serial is skipped, a later serial replaces.
    expect((await api('POST', `/api/v1/state-sources/${sourceId}/read`)).status).toBe(202);
    const again = await leaseRead(agent.token);
    expect(again.body.attempt).toBe(1);
    expect(again.body.known).toEqual(
      expect.arrayContaining([
        { workspace: 'default', name: 's3://team-states/prod/app.tfstate', lineage: LINEAGE, serial: 4 },
        expect.objectContaining({ workspace: 'staging', serial: 1 }),
      ]),
    );
    const before = await statesNamed('s3://team-states/prod/');
    const same = await upload(
      agent.token,
      sourceId,
      again.body.lease_id,
      's3://team-states/prod/app.tfstate',
      terraformState(LINEAGE, 4, 'changed'),
    );
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ outcome: 'unchanged', state_id: before[0].state_id });
    expect(await statesNamed('s3://team-states/prod/')).toEqual(before);

    const newer = await upload(
      agent.token,
      sourceId,
      again.body.lease_id,
      's3://team-states/prod/app.tfstate',
      terraformState(LINEAGE, 5),
    );
    expect(newer.status).toBe(201);
    const after = await statesNamed('s3://team-states/prod/');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ serial: 5, lineage: LINEAGE });
    expect(after[0].state_id).not.toBe(before[0].state_id);

    // Another lineage under the same name is refused: the stored state stays.
    const other = await upload(
      agent.token,
      sourceId,
      again.body.lease_id,
      's3://team-states/prod/app.tfstate',
      terraformState('00000000-0000-4000-8000-000000000000', 9),
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('state_conflict');
    expect((await statesNamed('s3://team-states/prod/'))[0].serial).toBe(5);
  });

  it('lets a source that allows it replace a state of another lineage', async () => {
    const sourceId = await register({ location: 's3://swap-states', replace_other_lineage: true });
    const agent = await agentToken([ACCOUNT]);
    const first = await leaseRead(agent.token);
    expect(first.body.source_id).toBe(sourceId);
    const name = 's3://swap-states/a/terraform.tfstate';
    expect((await upload(agent.token, sourceId, first.body.lease_id, name, terraformState(LINEAGE, 7))).status).toBe(
      201,
    );
    const swapped = await upload(
      agent.token,
      sourceId,
      first.body.lease_id,
      name,
      terraformState('aa000000-0000-4000-8000-0000000000aa', 1),
    );
    expect(swapped.status).toBe(201);
    expect((await statesNamed(name))[0]).toMatchObject({ serial: 1, lineage: 'aa000000-0000-4000-8000-0000000000aa' });
  });

  it("refuses another account's agent on every call of a read, and a lease it does not hold", async () => {
    const sourceId = await register({ location: 's3://bound-states', account: OTHER });
    const mine = await agentToken([ACCOUNT]);
    const theirs = await agentToken([OTHER]);
    expect((await leaseRead(mine.token, OTHER)).status).toBe(403);
    const held = await leaseRead(theirs.token, OTHER);
    expect(held.body.source_id).toBe(sourceId);
    const leaseId = held.body.lease_id;
    const name = 's3://bound-states/x.tfstate';
    expect((await upload(mine.token, sourceId, leaseId, name, terraformState(LINEAGE, 1))).status).toBe(403);
    for (const action of ['heartbeat', 'complete', 'fail']) {
      const body = { lease_id: leaseId, states: [], reason: 'no' };
      expect((await api('POST', `/api/v1/state-sources/${sourceId}/${action}`, body, mine.token)).status).toBe(403);
    }
    expect((await statesNamed(name)).length).toBe(0);
    const wrongLease = await upload(theirs.token, sourceId, 'not-the-lease', name, terraformState(LINEAGE, 1));
    expect(wrongLease.status).toBe(409);
    expect(wrongLease.body.error.code).toBe('lease_conflict');
    expect(
      (await api('POST', `/api/v1/state-sources/${sourceId}/heartbeat`, { lease_id: leaseId }, theirs.token)).status,
    ).toBe(200);
  });

  it('retries a read that failed for a passing reason and records one that cannot pass', async () => {
    const sourceId = await register({ location: 's3://flaky-states', account: '830000000003' });
    const agent = await agentToken(['830000000003']);
    const first = await leaseRead(agent.token, '830000000003');
    const retried = await api(
      'POST',
      `/api/v1/state-sources/${sourceId}/fail`,
      { lease_id: first.body.lease_id, reason: 'SlowDown' },
      agent.token,
    );
    expect(retried.body.status).toBe('pending');
    // RETRY_BASE_SECONDS is 0 in these tests: the retry is due at once, as a second attempt.
    const second = await leaseRead(agent.token, '830000000003');
    expect(second.body).toMatchObject({ source_id: sourceId, attempt: 2 });
    const failed = await api(
      'POST',
      `/api/v1/state-sources/${sourceId}/fail`,
      { lease_id: second.body.lease_id, reason: 'AccessDenied: no s3:ListBucket', retryable: false },
      agent.token,
    );
    expect(failed.body).toEqual({ source_id: sourceId, status: 'failed', next_read_at: null });
    const source = (await api('GET', `/api/v1/state-sources/${sourceId}`, undefined, TOKEN)).body;
    expect(source.last_read).toMatchObject({ status: 'failed', error: 'AccessDenied: no s3:ListBucket' });
    expect((await leaseRead(agent.token, '830000000003')).status).toBe(204);
  });

  it('sends a state too large to read while the upload waits through the streamed import', async () => {
    const sourceId = await register({ location: 's3://big-states', account: '830000000005' });
    const agent = await agentToken(['830000000005']);
    const held = await leaseRead(agent.token, '830000000005');
    const name = 's3://big-states/env:/qa/app.tfstate';
    const bytes = new TextEncoder().encode(JSON.stringify(terraformState(LINEAGE, 3)));
    // Sent without a length, as a stream: the streamed import's way, whatever its size.
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const query = new URLSearchParams({ lease_id: held.body.lease_id, name });
    const res = await exports.default.fetch(
      new Request(`http://gateway.test/api/v1/state-sources/${sourceId}/states?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { outcome: string; import_id: string };
    expect(queued.outcome).toBe('queued');
    const deadline = Date.now() + 30_000;
    let job = (await api('GET', `/api/v1/imports/${queued.import_id}`)).body;
    while (!['completed', 'failed'].includes(job.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await api('GET', `/api/v1/imports/${queued.import_id}`)).body;
    }
    expect(job).toMatchObject({ status: 'completed', workspace: 'qa' });
    expect(await statesNamed(name)).toEqual([
      expect.objectContaining({ workspace: 'qa', serial: 3, lineage: LINEAGE }),
    ]);
  });

  it('hands a waiting agent a source registered while it waits', async () => {
    const agent = await agentToken(['830000000004']);
    const waiting = leaseRead(agent.token, '830000000004', 10);
    await new Promise((r) => setTimeout(r, 300));
    const sourceId = await register({ location: 's3://late-states', account: '830000000004' });
    const leased = await waiting;
    expect(leased.status).toBe(200);
    expect(leased.body.source_id).toBe(sourceId);
  });
});
