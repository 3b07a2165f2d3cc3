import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES } from '../../contract/aws-cloud-control.js';
import { isGlobalType } from '../../contract/existence/index.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { agentEnv } from '../../emulator/aws/env.js';
import { generateAwsEstate } from '../../emulator/aws/estate.js';
import { createRng } from '../../emulator/rng.js';
import { startAwsEmulator, TestContext } from '../../test/support/aws-emulator.js';
import { createAwsProvider } from './aws.js';
import type { ListContext, ResourcePage } from './types.js';

/**
 * Attribute-level discovery through Cloud Control with the real @aws-sdk/client-cloudcontrol
 * against the emulator: ListResources gives identifiers only, GetResource each resource's
 * property document, and secret material never reaches what the agent keeps.
 */

const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1'];
const estate = generateAwsEstate({ rng: createRng(21), count: 150, accounts: [ACCOUNT], regions: REGIONS });
const ccEstate = estate.filter((r) => AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES.includes(r.type));
/** Budgets far above Cloud Control's, so a few hundred calls take no time. */
const FAST = { capacity: 10_000, refillPerSecond: 10_000 };

const stateDir = mkdtempSync(join(tmpdir(), 'cloud-control-attributes-test-'));
const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
  rmSync(stateDir, { recursive: true, force: true });
});

const ctx = (region: string): ListContext => ({
  account: ACCOUNT,
  region,
  regions: REGIONS,
  signal: AbortSignal.timeout(60_000),
});

async function listAll(
  provider: ReturnType<typeof createAwsProvider>,
  types: readonly string[],
): Promise<DiscoveredResource[]> {
  const found: DiscoveredResource[] = [];
  // A global type is listed once per account, as its shard does.
  for (const type of types)
    for (const region of isGlobalType('aws', type) ? REGIONS.slice(0, 1) : REGIONS)
      for await (const page of provider.list(type, ctx(region)) as AsyncIterable<ResourcePage>)
        found.push(...page.resources);
  return found;
}

const byKey = (resources: readonly DiscoveredResource[]) =>
  new Map(resources.map((r) => [`${r.region}|${r.type}|${r.id}`, r]));

describe('aws: attribute-level types through Cloud Control', () => {
  it('has every type in every region of the estate, and global ones once', () => {
    for (const type of AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES)
      for (const region of isGlobalType('aws', type) ? ['global'] : REGIONS)
        expect(ccEstate.some((r) => r.type === type && r.region === region)).toBe(true);
  });

  it('reads each listed resource with one GetResource and keeps its full property document', async () => {
    const e = await startAwsEmulator(estate, new TestContext({ bucket: FAST }));
    try {
      Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account: ACCOUNT }));
      const provider = createAwsProvider({ pageSizeCap: 3, limits: { ListResources: FAST } });
      const found = await listAll(provider, AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES);
      const expected = byKey(ccEstate);
      expect([...byKey(found).keys()].sort()).toEqual([...expected.keys()].sort());
      for (const r of found) {
        const want = expected.get(`${r.region}|${r.type}|${r.id}`)!;
        if (r.type === 'AWS::Lambda::Function') continue; // environment values withheld, below
        expect(r).toEqual(want);
      }
      expect(e.ctx.calls.get('cloudcontrol:GetResource')).toBe(ccEstate.length);
    } finally {
      await e.close();
    }
  });

  it('keeps Lambda environment variables by name only and never a secret value', async () => {
    const leaky = ccEstate.map((r) =>
      r.type === 'AWS::SecretsManager::Secret'
        ? { ...r, attributes: { ...r.attributes, SecretString: 'hunter2', GenerateSecretString: { Length: 32 } } }
        : r,
    );
    const e = await startAwsEmulator(leaky, new TestContext({ bucket: FAST }));
    try {
      Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account: ACCOUNT }));
      const provider = createAwsProvider({ limits: { ListResources: FAST } });
      const found = await listAll(provider, ['AWS::Lambda::Function', 'AWS::SecretsManager::Secret']);
      const functions = found.filter((r) => r.type === 'AWS::Lambda::Function');
      const secrets = found.filter((r) => r.type === 'AWS::SecretsManager::Secret');
      expect(functions.length).toBeGreaterThan(0);
      expect(secrets.length).toBeGreaterThan(0);
      for (const f of functions)
        expect(f.attributes.Environment).toEqual({ Variables: { LOG_LEVEL: '', TABLE_NAME: '' } });
      for (const s of secrets) {
        expect(s.attributes).not.toHaveProperty('SecretString');
        expect(s.attributes).not.toHaveProperty('GenerateSecretString');
        expect(s.attributes).toHaveProperty('Name');
      }
      expect(JSON.stringify(found)).not.toContain('hunter2');
    } finally {
      await e.close();
    }
  });

  it('retries throttled and failed GetResource calls and still reads every resource', async () => {
    const e = await startAwsEmulator(estate, new TestContext({ faultRate: 0.3, faults: ['throttle', 'server-error'] }));
    try {
      Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account: ACCOUNT }));
      const provider = createAwsProvider({ limits: { ListResources: FAST } });
      const types = ['AWS::RDS::DBInstance', 'AWS::KMS::Key', 'AWS::SQS::Queue'];
      const found = await listAll(provider, types);
      expect([...byKey(found).keys()].sort()).toEqual(
        [...byKey(ccEstate.filter((r) => types.includes(r.type))).keys()].sort(),
      );
      expect(found.every((r) => Object.keys(r.attributes).length > 2)).toBe(true);
      expect(e.ctx.faultsServed.get('throttle')).toBeGreaterThan(0);
    } finally {
      await e.close();
    }
  });

  it('lists listeners per load balancer: refused without a ResourceModel, one parent with it', async () => {
    const e = await startAwsEmulator(estate, new TestContext());
    try {
      Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account: ACCOUNT }));
      const { CloudControlClient, ListResourcesCommand } = await import('@aws-sdk/client-cloudcontrol');
      const client = new CloudControlClient({ region: 'us-east-1', maxAttempts: 1 });
      const TypeName = 'AWS::ElasticLoadBalancingV2::Listener';
      const refused = await client.send(new ListResourcesCommand({ TypeName })).catch((x: unknown) => x);
      expect(refused).toMatchObject({ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } });
      const lb = ccEstate.find(
        (r) => r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && r.region === 'us-east-1',
      )!;
      const listed = await client.send(
        new ListResourcesCommand({ TypeName, ResourceModel: JSON.stringify({ LoadBalancerArn: lb.id }) }),
      );
      const want = ccEstate.filter((r) => r.type === TypeName && r.attributes.LoadBalancerArn === lb.id);
      expect(want.length).toBe(2);
      expect(listed.ResourceDescriptions?.map((d) => d.Identifier).sort()).toEqual(want.map((r) => r.id).sort());
    } finally {
      await e.close();
    }
  });

  it('resumes a listener walk from any cursor it yielded, with nothing read twice or left out', async () => {
    const e = await startAwsEmulator(estate, new TestContext({ bucket: FAST }));
    try {
      Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account: ACCOUNT }));
      const provider = createAwsProvider({ pageSizeCap: 1, limits: { ListResources: FAST } });
      const type = 'AWS::ElasticLoadBalancingV2::Listener';
      const pages: ResourcePage[] = [];
      for await (const page of provider.list(type, ctx('eu-west-1')) as AsyncIterable<ResourcePage>) pages.push(page);
      const ids = pages.flatMap((p) => p.resources.map((r) => r.id));
      const want = ccEstate.filter((r) => r.type === type && r.region === 'eu-west-1').map((r) => r.id);
      expect(ids.sort()).toEqual([...want].sort());
      expect(pages.at(-1)?.cursor).toBeUndefined();
      for (let i = 0; i < pages.length - 1; i++) {
        const rest: string[] = [];
        for await (const page of provider.list(type, ctx('eu-west-1'), pages[i]!.cursor) as AsyncIterable<ResourcePage>)
          rest.push(...page.resources.map((r) => r.id));
        const before = pages.slice(0, i + 1).flatMap((p) => p.resources.map((r) => r.id));
        expect([...before, ...rest].sort()).toEqual([...want].sort());
      }
    } finally {
      await e.close();
    }
  });

  it('lists identifiers only, reads properties with GetResource, and answers ResourceNotFoundException', async () => {
    const e = await startAwsEmulator(estate, new TestContext());
    try {
      Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account: ACCOUNT }));
      const { CloudControlClient, GetResourceCommand, ListResourcesCommand } = await import(
        '@aws-sdk/client-cloudcontrol'
      );
      const client = new CloudControlClient({ region: 'us-east-1', maxAttempts: 1 });
      const listed = await client.send(new ListResourcesCommand({ TypeName: 'AWS::RDS::DBInstance' }));
      const first = listed.ResourceDescriptions?.[0];
      expect(JSON.parse(first?.Properties ?? '{}')).toEqual({ DBInstanceIdentifier: first?.Identifier });
      const got = await client.send(
        new GetResourceCommand({ TypeName: 'AWS::RDS::DBInstance', Identifier: first!.Identifier! }),
      );
      expect(JSON.parse(got.ResourceDescription?.Properties ?? '{}')).toMatchObject({
        DBInstanceIdentifier: first?.Identifier,
        PubliclyAccessible: false,
        StorageEncrypted: true,
      });
      const missing = await client
        .send(new GetResourceCommand({ TypeName: 'AWS::RDS::DBInstance', Identifier: 'no-such-db' }))
        .catch((x: unknown) => x);
      expect(missing).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    } finally {
      await e.close();
    }
  });
});
