import { expect } from 'vitest';
import type { DiscoveredResource } from '../../../contract/resource.js';
import { api, TOKEN, waitForJob } from './api.js';

/**
 * A small AWS estate (instances and volumes) as the cloud and as Terraform state, and an agent
 * that answers each lease of a job from the estate: Worker tests of whole scans through the API.
 */

export function instance(account: string, region: string, id: string, type: string): DiscoveredResource {
  return {
    provider: 'aws',
    account,
    region,
    type: 'AWS::EC2::Instance',
    id,
    attributes: {
      InstanceId: id,
      InstanceType: type,
      ImageId: 'ami-0abc',
      SubnetId: 'subnet-1',
      Placement: { AvailabilityZone: `${region}a`, Tenancy: 'default' },
      SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'web' }],
      State: { Code: 16, Name: 'running' },
      Tags: [{ Key: 'Name', Value: id }],
    },
    tags: { Name: id },
  };
}

export function volume(account: string, region: string, id: string, size: number): DiscoveredResource {
  return {
    provider: 'aws',
    account,
    region,
    type: 'AWS::EC2::Volume',
    id,
    attributes: {
      VolumeId: id,
      Size: size,
      VolumeType: 'gp3',
      AvailabilityZone: `${region}a`,
      Encrypted: true,
      Tags: [{ Key: 'Name', Value: id }],
    },
    tags: { Name: id },
  };
}

/** The Terraform state resource that manages `r` as it is (so the cloud matching it is in sync). */
function managing(r: DiscoveredResource) {
  const a = r.attributes as Record<string, any>;
  const common = { id: r.id, availability_zone: `${r.region}a`, tags: { Name: r.id } };
  if (r.type === 'AWS::EC2::Volume') {
    return {
      type: 'aws_ebs_volume',
      attributes: {
        ...common,
        arn: `arn:aws:ec2:${r.region}:${r.account}:volume/${r.id}`,
        size: a.Size,
        type: 'gp3',
        encrypted: true,
      },
    };
  }
  return {
    type: 'aws_instance',
    attributes: {
      ...common,
      arn: `arn:aws:ec2:${r.region}:${r.account}:instance/${r.id}`,
      instance_type: a.InstanceType,
      ami: 'ami-0abc',
      subnet_id: 'subnet-1',
      vpc_security_group_ids: ['sg-1'],
      tags_all: { Name: r.id },
    },
  };
}

/** Imports a state (under its own name) that manages exactly these resources as they are given, into the token's tenant. */
export async function importState(name: string, managed: DiscoveredResource[], token = TOKEN): Promise<void> {
  const resources = managed.map((r) => {
    const { type, attributes } = managing(r);
    return {
      mode: 'managed',
      type,
      name: r.id.replaceAll('-', '_'),
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
    };
  });
  const state = {
    version: 4,
    terraform_version: '1.9.5',
    serial: 1,
    lineage: crypto.randomUUID(),
    outputs: {},
    resources,
  };
  const res = await api('POST', `/api/v1/import?name=${name}.tfstate`, state, token);
  expect(res.status).toBe(201);
}

export interface Scope {
  account: string;
  regions: string[];
  types?: string[];
  sharding?: 'region' | 'resource-type';
}

export async function startScan(scope: Scope, token = TOKEN): Promise<string> {
  const res = await api(
    'POST',
    '/api/v1/discovery',
    {
      provider: 'aws',
      accounts: [scope.account],
      regions: scope.regions,
      resource_types: scope.types ?? ['AWS::EC2::Instance', 'AWS::EC2::Volume'],
      sharding: { type: scope.sharding ?? 'region', shard_size: 1000 },
    },
    token,
  );
  expect(res.status).toBe(202);
  return res.body.job_id;
}

export interface HeldLease {
  job_id: string;
  shard_id: string;
  lease_id: string;
  work: { type: string; region: string }[];
}

let agentSeq = 0;

/** Every shard of the account's open jobs, each leased by its own agent. */
export async function leaseAll(account: string, token = TOKEN): Promise<HeldLease[]> {
  const held: HeldLease[] = [];
  for (;;) {
    const res = await api(
      'POST',
      '/api/v1/agents/lease',
      { agent_id: `agent-${agentSeq++}`, provider: 'aws', account, wait_seconds: 0 },
      token,
    );
    if (res.status === 204) return held;
    expect(res.status).toBe(200);
    held.push(res.body);
  }
}

/** What a shard's listing finds in an estate. */
export function found(lease: HeldLease, estate: DiscoveredResource[]): DiscoveredResource[] {
  return estate.filter((r) => lease.work.some((w) => w.type === r.type && w.region === r.region));
}

export async function sendChunk(
  lease: HeldLease,
  resources: DiscoveredResource[],
  sequence = 0,
  token = TOKEN,
): Promise<void> {
  const res = await api(
    'POST',
    `/api/v1/shards/${lease.shard_id}/results`,
    { lease_id: lease.lease_id, sequence, resources },
    token,
  );
  expect(res.status).toBe(200);
}

export async function complete(lease: HeldLease, resourceCount: number, token = TOKEN): Promise<void> {
  const res = await api(
    'POST',
    `/api/v1/shards/${lease.shard_id}/complete`,
    { lease_id: lease.lease_id, resource_count: resourceCount },
    token,
  );
  expect(res.status).toBe(200);
}

export async function finished(jobId: string, token = TOKEN): Promise<void> {
  expect((await waitForJob(jobId, ['completed', 'failed', 'cancelled'], 30_000, token)).status).toBe('completed');
}

/** One whole scan of the account, in the token's tenant: every shard answered from the estate, then the job's analysis. */
export async function scan(scope: Scope, estate: DiscoveredResource[], token = TOKEN): Promise<string> {
  const jobId = await startScan(scope, token);
  for (const lease of await leaseAll(scope.account, token)) {
    const resources = found(lease, estate);
    await sendChunk(lease, resources, 0, token);
    await complete(lease, resources.length, token);
  }
  await finished(jobId, token);
  return jobId;
}

/** Waits until the queue consumer wrote `count` sightings of the job, and returns them. */
export async function sightingsOf(jobId: string, count: number): Promise<any[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const listed = (await api('GET', `/api/v1/resources?job_id=${jobId}&limit=1000`)).body.resources as any[];
    if (listed.length >= count || Date.now() > deadline) return listed;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every drift item of a job (one page of up to 1000), with the query's filters. */
export async function driftOf(
  jobId: string,
  query = '',
  token = TOKEN,
): Promise<{ job_id: string; summary: any; items: any[] }> {
  const res = await api('GET', `/api/v1/drift?job_id=${jobId}&limit=1000${query}`, undefined, token);
  expect(res.status).toBe(200);
  return res.body;
}

/** Items as `kind:id`, sorted: what a job reported, in a form a test compares whole. */
export const kindsAndIds = (items: any[]) => items.map((i) => `${i.kind}:${i.id}`).sort();
