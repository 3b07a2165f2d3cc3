import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { parseExposition, sumOf } from '../test/support/prometheus-text.js';
import { api, lease, startJob, TOKEN, waitForJob } from '../test/support/worker/api.js';
import { pruneOldDetail } from './retention.js';

const ACCOUNT = '606060606060';

function volume(id: string, region: string, size: number): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region,
    type: 'AWS::EC2::Volume',
    id,
    attributes: { VolumeId: id, Size: size, VolumeType: 'gp3', AvailabilityZone: `${region}a`, Encrypted: true },
    tags: { Name: id },
  };
}

const STATE = {
  version: 4,
  terraform_version: '1.9.5',
  serial: 3,
  lineage: 'c0ffee00-0000-4000-8000-000000000003',
  outputs: {},
  resources: [
    {
      mode: 'managed',
      type: 'aws_ebs_volume',
      name: 'data',
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 0,
          attributes: {
            id: 'vol-1',
            arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-1`,
            size: 100,
            type: 'gp3',
            availability_zone: 'us-east-1a',
            encrypted: true,
            tags: { Name: 'vol-1' },
          },
          sensitive_attributes: [],
        },
      ],
    },
  ],
};

async function raw(path: string, init: RequestInit = {}) {
  return exports.default.fetch(
    new Request(`http://gateway.test${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
    }),
  );
}

let jobId: string;

beforeAll(async () => {
  expect((await api('POST', '/api/v1/import?name=volumes.tfstate', STATE)).status).toBe(201);
  const job = await startJob({
    accounts: [ACCOUNT],
    regions: ['us-east-1', 'eu-west-1'],
    resource_types: ['AWS::EC2::Volume'],
  });
  jobId = job.job_id;
  const found: Record<string, DiscoveredResource[]> = {
    'us-east-1': [volume('vol-1', 'us-east-1', 200), volume('vol-2', 'us-east-1', 8)],
    'eu-west-1': [volume('vol-3', 'eu-west-1', 8)],
  };
  for (let i = 0; i < 2; i++) {
    const held = await lease(ACCOUNT);
    const resources = found[held.body.region]!;
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
  expect((await waitForJob(jobId, ['completed'])).status).toBe('completed');
});

describe('inventory', () => {
  it('lists resources with filters and cursor paging', async () => {
    const all = await api('GET', `/api/v1/resources?account=${ACCOUNT}`);
    expect(all.body.resources.map((r: any) => r.id)).toEqual(expect.arrayContaining(['vol-1', 'vol-2', 'vol-3']));
    const eu = await api('GET', `/api/v1/resources?account=${ACCOUNT}&region=eu-west-1`);
    expect(eu.body.resources.map((r: any) => r.id)).toEqual(['vol-3']);
    const first = await api('GET', `/api/v1/resources?account=${ACCOUNT}&limit=2`);
    const second = await api('GET', `/api/v1/resources?account=${ACCOUNT}&limit=2&cursor=${first.body.next_cursor}`);
    const ids = [...first.body.resources, ...second.body.resources].map((r: any) => r.id);
    expect(new Set(ids).size).toBe(3);
    expect(second.body.next_cursor).toBeNull();
  });

  it('summarises counts that match the inventory, and the latest drift', async () => {
    const summary = await api('GET', '/api/v1/resources/summary');
    const listed = await api('GET', '/api/v1/resources?limit=1000');
    expect(summary.body.total).toBe(listed.body.resources.length);
    expect(summary.body.by_account).toContainEqual({ key: `aws:${ACCOUNT}`, count: 3 });
    expect(summary.body.by_region).toEqual(expect.arrayContaining([{ key: 'aws:eu-west-1', count: 1 }]));
    expect(summary.body.drift.aws).toMatchObject({ job_id: jobId, changed: 1, unmanaged: 2, missing: 0 });
    expect(summary.body.coverage).toBeCloseTo(1 / 3);
  });

  it('returns trend points per analysed job', async () => {
    const trends = await api('GET', '/api/v1/trends?provider=aws');
    expect(trends.body.points.at(-1)).toMatchObject({ job_id: jobId, changed: 1, unmanaged: 2 });
    expect((await api('GET', '/api/v1/trends?since=yesterday')).status).toBe(400);
  });
});

describe('reports', () => {
  it('renders every format', async () => {
    const markdown = await raw(`/api/v1/drift/report?job_id=${jobId}&format=markdown`);
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    expect(await markdown.text()).toContain('vol-1');
    const sarif = (await (await raw(`/api/v1/drift/report?job_id=${jobId}&format=sarif`)).json()) as any;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    const html = await (await raw(`/api/v1/drift/report?job_id=${jobId}&format=html`)).text();
    expect(html).toMatch(/^<!doctype html>/i);
    const codify = await (await raw(`/api/v1/drift/report?job_id=${jobId}&format=codify`)).text();
    expect(codify).toContain('import {');
    expect(codify).toContain('vol-2');
    expect((await raw(`/api/v1/drift/report?job_id=${jobId}&format=pdf`)).status).toBe(400);
  });
});

describe('export and import', () => {
  it('round-trips the inventory, states and analyses into an empty deployment', async () => {
    const exported = await (await raw('/api/v1/export')).json<any>();
    expect(exported.format).toBe('driftmgr-export');
    expect(exported.resources.length).toBeGreaterThanOrEqual(3);

    await env.DB.batch(
      ['resources', 'states', 'state_instances', 'analyses', 'drift_items', 'resource_counts'].map((t) =>
        env.DB.prepare(`DELETE FROM ${t}`),
      ),
    );
    expect((await api('GET', '/api/v1/resources')).body.resources).toEqual([]);

    const form = new FormData();
    form.append('file', new File([JSON.stringify(exported)], 'current-state.json'));
    const imported = await raw('/api/v1/import', { method: 'POST', body: form });
    expect(imported.status).toBe(201);

    const again = await (await raw('/api/v1/export')).json<any>();
    const { exported_at: _a, ...before } = exported;
    const { exported_at: _b, ...after } = again;
    expect(after).toEqual(before);
  });

  it('refuses a malformed export, naming the field', async () => {
    const res = await api('POST', '/api/v1/import', { format: 'driftmgr-export', version: 1, resources: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('resources');
  });
});

describe('metrics', () => {
  it('serves Prometheus text to an authenticated scraper', async () => {
    expect((await api('GET', '/metrics', undefined, null)).status).toBe(401);
    const res = await raw('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/driftmgr_jobs\{status="completed"\} \d+/);
    // Counted by severity as the analysis completes.
    expect(sumOf(parseExposition(text), 'drift_detected_total', { provider: 'aws' })).toBe(3);
    expect(text).toContain(
      `driftmgr_resources{provider="aws",account="${ACCOUNT}",region="us-east-1",type="AWS::EC2::Volume"} 2`,
    );
  });
});

describe('retention', () => {
  it('the cron prunes old drift items and unseen resources, and keeps the trend points', async () => {
    const inFortyDays = Date.now() + 40 * 24 * 3600 * 1000;
    const pruned = await pruneOldDetail(env, inFortyDays);
    expect(pruned.jobs).toContain(jobId);
    expect(pruned.resources).toBeGreaterThanOrEqual(3);
    expect((await api('GET', `/api/v1/resources?account=${ACCOUNT}`)).body.resources).toEqual([]);
    expect((await api('GET', '/api/v1/resources/summary')).body.total).toBe(0);
    expect((await api('GET', `/api/v1/drift?job_id=${jobId}`)).body.items).toEqual([]);
    const trends = await api('GET', '/api/v1/trends?provider=aws');
    expect(trends.body.points.map((p: any) => p.job_id)).toContain(jobId);
  });
});
