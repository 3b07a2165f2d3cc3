import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { api, lease, startJob, TOKEN, waitForJob } from '../test/support/worker/api.js';

const ACCOUNT = '777777777777';
const REGION = 'us-east-1';

function instance(id: string, type: string): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region: REGION,
    type: 'AWS::EC2::Instance',
    id,
    attributes: {
      InstanceId: id,
      InstanceType: type,
      ImageId: 'ami-0abc',
      SubnetId: 'subnet-1',
      Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
      SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'web' }],
      State: { Code: 16, Name: 'running' },
      Tags: [{ Key: 'Name', Value: id }],
    },
    tags: { Name: id },
  };
}

function stateInstance(name: string, id: string, type: string, account = ACCOUNT, region = REGION) {
  return {
    mode: 'managed',
    type: 'aws_instance',
    name,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [
      {
        schema_version: 1,
        attributes: {
          id,
          arn: `arn:aws:ec2:${region}:${account}:instance/${id}`,
          instance_type: type,
          ami: 'ami-0abc',
          subnet_id: 'subnet-1',
          availability_zone: 'us-east-1a',
          vpc_security_group_ids: ['sg-1'],
          tags: { Name: id },
          tags_all: { Name: id },
        },
        sensitive_attributes: [],
      },
    ],
  };
}

const STATE = {
  version: 4,
  terraform_version: '1.9.5',
  serial: 7,
  lineage: 'b8f1c0de-0000-4000-8000-000000000001',
  outputs: {},
  resources: [
    stateInstance('web', 'i-web', 't3.micro'),
    stateInstance('api', 'i-api', 't3.small'),
    stateInstance('gone', 'i-gone', 't3.small'),
  ],
};

async function upload(body: BodyInit, headers: Record<string, string> = {}, query = '') {
  const res = await exports.default.fetch(
    new Request(`http://gateway.test/api/v1/import${query}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    }),
  );
  return { status: res.status, body: (await res.json()) as any };
}

describe('POST /api/v1/import', () => {
  it('imports a state uploaded as multipart file', async () => {
    const form = new FormData();
    form.append('file', new File([JSON.stringify(STATE)], 'prod.tfstate'));
    const res = await upload(form, {}, '?workspace=prod');
    expect(res.status).toBe(201);
    expect(res.body.states).toEqual([
      expect.objectContaining({ workspace: 'prod', name: 'prod.tfstate', serial: 7, instances: 3 }),
    ]);
    const listed = await api('GET', '/api/v1/states');
    expect(listed.body.states.map((s: any) => s.name)).toContain('prod.tfstate');
  });

  it('says what is wrong with input that is not a state, and imports nothing', async () => {
    const before = (await api('GET', '/api/v1/states')).body.states.length;
    const notJson = await upload('{"version": 4,', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.details.reason).toBe('not_json');
    const notState = await upload(JSON.stringify({ hello: 'world' }), { 'content-type': 'application/json' });
    expect(notState.status).toBe(422);
    expect(notState.body.error.message).toMatch(/terraform/i);
    const form = new FormData();
    form.append('file', new File([JSON.stringify(STATE)], 'good.tfstate'));
    form.append('file', new File(['[1,2,3]'], 'bad.tfstate'));
    const mixed = await upload(form);
    expect(mixed.status).toBe(422);
    expect(mixed.body.error.message).toContain('bad.tfstate');
    expect((await api('GET', '/api/v1/states')).body.states).toHaveLength(before);
    expect((await upload('x', { 'content-type': 'text/plain' })).status).toBe(415);
  });
});

describe('drift after discovery', () => {
  it('reports changed, missing and unmanaged resources of the job', async () => {
    const form = new FormData();
    form.append('file', new File([JSON.stringify(STATE)], 'prod.tfstate'));
    expect((await upload(form, {}, '?workspace=prod')).status).toBe(201);

    const job = await startJob({ accounts: [ACCOUNT], regions: [REGION], resource_types: ['AWS::EC2::Instance'] });
    const held = await lease(ACCOUNT);
    const resources = [instance('i-web', 't3.xlarge'), instance('i-api', 't3.small'), instance('i-stray', 't3.nano')];
    await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
      lease_id: held.body.lease_id,
      sequence: 0,
      resources,
    });
    await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
      lease_id: held.body.lease_id,
      resource_count: 3,
    });
    const finished = await waitForJob(job.job_id, ['completed', 'failed']);
    expect(finished.status).toBe('completed');

    const drift = await api('GET', `/api/v1/drift?job_id=${job.job_id}`);
    expect(drift.status).toBe(200);
    const byKind = Object.groupBy(drift.body.items as any[], (i) => i.kind);
    expect(byKind.changed?.map((i) => i.id)).toEqual(['i-web']);
    expect(byKind.changed?.[0].changes).toEqual([
      expect.objectContaining({ path: 'instance_type', expected: 't3.micro', actual: 't3.xlarge' }),
    ]);
    expect(byKind.missing?.map((i) => i.address)).toEqual(['aws_instance.gone']);
    expect(byKind.unmanaged?.map((i) => i.id)).toEqual(['i-stray']);
    expect(drift.body.summary).toMatchObject({ in_sync: 1, changed: 1, missing: 1, unmanaged: 1 });

    const onlyMissing = await api('GET', `/api/v1/drift?job_id=${job.job_id}&kind=missing`);
    expect(onlyMissing.body.items).toHaveLength(1);
    const paged = await api('GET', `/api/v1/drift?job_id=${job.job_id}&limit=2`);
    expect(paged.body.items).toHaveLength(2);
    const rest = await api('GET', `/api/v1/drift?job_id=${job.job_id}&limit=2&cursor=${paged.body.next_cursor}`);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.next_cursor).toBeNull();
    expect((await api('GET', '/api/v1/drift')).body.job_id).toBe(job.job_id);
    expect(drift.body.items.every((i: { fix?: string }) => i.fix === undefined)).toBe(true);

    const fixes = await api('GET', `/api/v1/drift?job_id=${job.job_id}&fix=true`);
    const fixOf = Object.fromEntries((fixes.body.items as any[]).map((i) => [i.kind, i.fix]));
    expect(fixOf.changed).toContain('resource "aws_instance" "web" {\n  instance_type = "t3.xlarge"\n}');
    expect(fixOf.changed).toContain("# terraform apply -target='aws_instance.web'");
    expect(fixOf.missing).toContain('removed {\n  from = aws_instance.gone\n');
    expect(fixOf.unmanaged).toMatch(/^import \{\n {2}to = aws_instance\.i-stray\n {2}id = "i-stray"\n\}/);
  });

  it("a job that failed in a region does not call that region's state resources missing", async () => {
    const account = '888888888888';
    const state = {
      ...STATE,
      lineage: 'b8f1c0de-0000-4000-8000-000000000002',
      resources: [
        stateInstance('east', 'i-east', 't3.micro', account, 'us-east-1'),
        stateInstance('west', 'i-west', 't3.micro', account, 'eu-west-1'),
      ],
    };
    await api('POST', '/api/v1/import?name=regions.tfstate', state);
    const job = await startJob({
      accounts: [account],
      regions: ['us-east-1', 'eu-west-1'],
      resource_types: ['AWS::EC2::Instance'],
    });
    for (let i = 0; i < 2; i++) {
      const held = await lease(account);
      if (held.body.region === 'eu-west-1') {
        await api('POST', `/api/v1/shards/${held.body.shard_id}/fail`, {
          lease_id: held.body.lease_id,
          reason: 'AccessDenied',
          retryable: false,
        });
      } else {
        await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
          lease_id: held.body.lease_id,
          resource_count: 0,
        });
      }
    }
    expect((await waitForJob(job.job_id, ['completed', 'failed'])).status).toBe('completed');
    const drift = await api('GET', `/api/v1/drift?job_id=${job.job_id}&kind=missing`);
    expect(drift.body.items.map((i: any) => i.id)).toEqual(['i-east']);
  });

  it('incremental mode reports only what changed since the last analysis', async () => {
    const account = '999999999999';
    const state = {
      ...STATE,
      lineage: 'b8f1c0de-0000-4000-8000-000000000004',
      resources: [stateInstance('inc', 'i-inc', 't3.micro', account)],
    };
    await api('POST', '/api/v1/import?name=incremental.tfstate', state);
    const runJob = async (type: string) => {
      const job = await startJob({ accounts: [account], mode: 'incremental' });
      const held = await lease(account);
      const resources = [{ ...instance('i-inc', type), account }];
      await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
        lease_id: held.body.lease_id,
        sequence: 0,
        resources,
      });
      await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
        lease_id: held.body.lease_id,
        resource_count: 1,
      });
      await waitForJob(job.job_id, ['completed']);
      return (await api('GET', `/api/v1/drift?job_id=${job.job_id}`)).body;
    };
    expect((await runJob('t3.large')).items.map((i: any) => i.id)).toEqual(['i-inc']);
    const unchanged = await runJob('t3.large');
    expect(unchanged.items).toEqual([]);
    expect(unchanged.summary.unchanged_skipped).toBe(1);
    expect((await runJob('t3.xlarge')).items.map((i: any) => i.changes[0].actual)).toEqual(['t3.xlarge']);
  }, 30_000);

  it("applies the deployment's ignore rules to the next analysis", async () => {
    const account = '121212121212';
    expect(
      (await api('PUT', '/api/v1/ignore', { rules: [{ type: 'aws_*', path: 'tags' }], driftignore: 'bogus' })).status,
    ).toBe(200);
    const bad = await api('PUT', '/api/v1/ignore', { rules: [{ type: 'aws_instance' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('rules.0.path');
    const put = await api('PUT', '/api/v1/ignore', { driftignore: '# scratch boxes\naws_instance.i-scratch*\n' });
    expect(put.body).toEqual({ driftignore: '# scratch boxes\naws_instance.i-scratch*\n', rules: [] });
    expect((await api('GET', '/api/v1/ignore')).body.driftignore).toContain('i-scratch*');

    const job = await startJob({ accounts: [account] });
    const held = await lease(account);
    const resources = [
      { ...instance('i-scratch-1', 't3.nano'), account },
      { ...instance('i-rogue', 't3.nano'), account },
    ];
    await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
      lease_id: held.body.lease_id,
      sequence: 0,
      resources,
    });
    await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
      lease_id: held.body.lease_id,
      resource_count: 2,
    });
    await waitForJob(job.job_id, ['completed']);
    const drift = await api('GET', `/api/v1/drift?job_id=${job.job_id}&kind=unmanaged`);
    expect(drift.body.items.map((i: any) => i.id)).toEqual(['i-rogue']);
    expect(drift.body.summary.ignored).toBe(1);
    await api('PUT', '/api/v1/ignore', {});
  });

  it('analyses a job of several accounts one account at a time and merges the result', async () => {
    const [a, b] = ['131313131313', '141414141414'];
    const state = {
      ...STATE,
      lineage: 'b8f1c0de-0000-4000-8000-000000000005',
      resources: [
        stateInstance('a1', 'i-a1', 't3.micro', a),
        stateInstance('a2', 'i-a2', 't3.micro', a),
        stateInstance('b1', 'i-b1', 't3.micro', b),
      ],
    };
    await api('POST', '/api/v1/import?name=two-accounts.tfstate', state);
    const job = await startJob({ accounts: [a, b] });
    const found: Record<string, DiscoveredResource[]> = {
      [a]: [{ ...instance('i-a1', 't3.large'), account: a }],
      [b]: [
        { ...instance('i-b1', 't3.micro'), account: b },
        { ...instance('i-b9', 't3.micro'), account: b },
      ],
    };
    for (const account of [a, b]) {
      const held = await lease(account);
      const resources = found[account]!;
      await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
        lease_id: held.body.lease_id,
        sequence: 0,
        resources,
      });
      await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
        lease_id: held.body.lease_id,
        resource_count: resources.length,
      });
    }
    expect((await waitForJob(job.job_id, ['completed'])).status).toBe('completed');
    const drift = await api('GET', `/api/v1/drift?job_id=${job.job_id}`);
    const seen = (drift.body.items as any[]).map((i) => `${i.kind}:${i.id}`).sort();
    expect(seen).toEqual(['changed:i-a1', 'missing:i-a2', 'unmanaged:i-b9']);
    expect(drift.body.summary).toMatchObject({
      in_sync: 1,
      changed: 1,
      missing: 1,
      unmanaged: 1,
      managed: 2,
      coverage: 0.5,
    });
    const detail = await api('GET', `/api/v1/jobs/${job.job_id}`);
    expect(detail.body.status).toBe('completed');
    expect(detail.body.analysis).toMatchObject({ in_sync: 1, changed: 1, missing: 1, unmanaged: 1, coverage: 0.5 });
  }, 20_000);

  it('404s for a job with no analysis', async () => {
    const res = await api('GET', '/api/v1/drift?job_id=job_neveranalysed');
    expect(res.status).toBe(404);
  });
});
