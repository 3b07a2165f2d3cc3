import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCloudControlAttributeType } from '../../contract/aws-cloud-control.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { agentEnv } from '../../emulator/aws/env.js';
import { generateAwsEstate } from '../../emulator/aws/estate.js';
import { createRng } from '../../emulator/rng.js';
import { type RunningEmulator, startAwsEmulator, TestContext } from '../../test/support/aws-emulator.js';
import { metrics } from '../metrics.js';
import { type AwsProviderOptions, createAwsProvider } from './aws.js';
import type { ListContext, ResourcePage } from './types.js';

const ACCOUNTS = ['123456789012', '210987654321'];
const REGIONS = ['us-east-1', 'eu-west-1'];
/**
 * EC2's types; the account-wide ones (S3, IAM) are tested in aws-s3-iam.test.ts, those read
 * through Cloud Control in cloud-control-attributes.test.ts.
 */
const AWS_TYPES = resourceTypesOf('aws')
  .filter((t) => t.level === 'attributes' && t.listing === 'regional' && !isCloudControlAttributeType(t.type))
  .map((t) => t.type);
const estate = generateAwsEstate({ rng: createRng(7), count: 2400, accounts: ACCOUNTS, regions: REGIONS });

const stateDir = mkdtempSync(join(tmpdir(), 'aws-provider-test-'));
const savedEnv = { ...process.env };
const running: RunningEmulator[] = [];

async function emulator(ctx?: TestContext): Promise<RunningEmulator> {
  const e = await startAwsEmulator(estate, ctx);
  running.push(e);
  return e;
}

/** A provider for `account` whose SDK reaches `e` only through the standard environment settings. */
function providerFor(e: RunningEmulator, account: string, options?: AwsProviderOptions) {
  Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account }));
  return createAwsProvider(options);
}

const ctxFor = (account: string, region: string): ListContext => ({
  account,
  region,
  regions: [region],
  signal: AbortSignal.timeout(25_000),
});

async function collect(pages: AsyncIterable<ResourcePage>): Promise<ResourcePage[]> {
  const out: ResourcePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const expected = (account: string, region: string, type: string) =>
  estate.filter((r) => r.account === account && r.region === region && r.type === type).sort(byId);

const total = async (c: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await c.get()).values.reduce((s, v) => s + v.value, 0);

beforeAll(() => {
  expect(new Set(estate.filter((r) => r.region !== 'global' && AWS_TYPES.includes(r.type)).map((r) => r.type))).toEqual(
    new Set(AWS_TYPES),
  );
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

afterAll(() => {
  process.env = savedEnv;
  rmSync(stateDir, { recursive: true, force: true });
});

describe('aws provider against the EC2 emulator', () => {
  it('discovers every type in every account and region with exactly the estate attributes', async () => {
    const e = await emulator();
    for (const account of ACCOUNTS) {
      const provider = providerFor(e, account);
      for (const region of REGIONS) {
        for (const type of AWS_TYPES) {
          const pages = await collect(provider.list(type, ctxFor(account, region)));
          const found: DiscoveredResource[] = pages.flatMap((p) => p.resources).sort(byId);
          const want = expected(account, region, type);
          expect(want.length, `${account} ${region} ${type}`).toBeGreaterThan(0);
          expect(found, `${account} ${region} ${type}`).toEqual(want);
        }
      }
    }
  });

  it('pages with NextToken; a cursor resumes right after its page with no duplicates or losses', async () => {
    const e = await emulator();
    const provider = providerFor(e, ACCOUNTS[0]!, { pageSizeCap: 5 });
    const ctx = ctxFor(ACCOUNTS[0]!, REGIONS[0]!);
    const want = expected(ACCOUNTS[0]!, REGIONS[0]!, 'AWS::EC2::Instance');
    const pages = await collect(provider.list('AWS::EC2::Instance', ctx));
    expect(pages.length).toBe(Math.ceil(want.length / 5));
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.slice(0, -1).every((p) => p.resources.length === 5 && p.cursor)).toBe(true);
    expect(pages.at(-1)!.cursor).toBeUndefined();
    const ids = pages.flatMap((p) => p.resources.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(want.map((r) => r.id));

    const resumed = await collect(provider.list('AWS::EC2::Instance', ctx, pages[2]!.cursor));
    expect(resumed.flatMap((p) => p.resources)).toEqual(pages.slice(3).flatMap((p) => p.resources));
    expect(e.ctx.calls.get('DescribeInstances')).toBe(pages.length + resumed.length);
  });

  it('absorbs throttling, 5xx and dropped connections with backoff and still finds everything', async () => {
    const ctx = new TestContext({ faultRate: 0.3, bucket: { capacity: 3, refillPerSecond: 40 } });
    const e = await emulator(ctx);
    const provider = providerFor(e, ACCOUNTS[1]!, { pageSizeCap: 20 });
    const throttlesBefore = await total(metrics.throttles);
    const retriesBefore = await total(metrics.retries);
    for (const type of ['AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::EC2::SecurityGroup', 'AWS::EC2::EIP']) {
      const pages = await collect(provider.list(type, ctxFor(ACCOUNTS[1]!, REGIONS[1]!)));
      expect(pages.flatMap((p) => p.resources).sort(byId)).toEqual(expected(ACCOUNTS[1]!, REGIONS[1]!, type));
    }
    expect(ctx.faultsServed.get('throttle')).toBeGreaterThan(0);
    expect(ctx.faultsServed.get('server-error')).toBeGreaterThan(0);
    expect(ctx.faultsServed.get('drop')).toBeGreaterThan(0);
    // Whether the token bucket also refuses calls depends on how fast this machine makes them; every
    // refusal it makes is still counted in the exact retry total below.
    const faults = [...ctx.faultsServed.values()].reduce((a, b) => a + b, 0) + ctx.throttledByBucket;
    expect(await total(metrics.throttles)).toBeGreaterThan(throttlesBefore);
    expect(await total(metrics.retries)).toBe(retriesBefore + faults);
  });

  it('does not retry a 4xx: an invalid cursor fails after one call', async () => {
    const e = await emulator();
    const provider = providerFor(e, ACCOUNTS[0]!);
    const pages = collect(provider.list('AWS::EC2::VPC', ctxFor(ACCOUNTS[0]!, REGIONS[0]!), 'not-a-token'));
    await expect(pages).rejects.toMatchObject({ name: 'InvalidPaginationToken', $metadata: { httpStatusCode: 400 } });
    expect(e.ctx.calls.get('DescribeVpcs')).toBe(1);
  });
});
