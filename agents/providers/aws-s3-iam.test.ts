import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AWS_IAM_TYPES, AWS_S3_TYPES } from '../../contract/aws-s3-iam.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypeInfo } from '../../contract/resource-types.js';
import { agentEnv } from '../../emulator/aws/env.js';
import { generateS3IamEstate } from '../../emulator/aws/s3-iam-estate.js';
import { createRng } from '../../emulator/rng.js';
import { createStateBackendHandler } from '../../emulator/state-backends/handler.js';
import { StateBackendObjects } from '../../emulator/state-backends/objects.js';
import { type RunningEmulator, startAwsEmulator, TestContext } from '../../test/support/aws-emulator.js';
import { type AwsProviderOptions, createAwsProvider } from './aws.js';
import type { ListContext, ResourcePage } from './types.js';

/**
 * The AWS provider's S3 and IAM listings with the real SDK clients against the emulator: IAM's
 * Query API on the AWS listener, S3's bucket calls on the state backends' listener (where
 * AWS_ENDPOINT_URL_S3 points, as for state files).
 */

const ACCOUNTS = ['123456789012', '210987654321'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const estate = generateS3IamEstate({ rng: createRng(11), count: 5000, accounts: ACCOUNTS, regions: REGIONS });

const stateDir = mkdtempSync(join(tmpdir(), 'aws-s3-iam-test-'));
const savedEnv = { ...process.env };
const stops: (() => Promise<void>)[] = [];

/** The S3 side: the state backends' handler over no state objects but the estate's buckets. */
async function startS3(): Promise<string> {
  const handler = createStateBackendHandler(new StateBackendObjects(), { delay: async () => {} }, estate);
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => void handler(req, Buffer.alloc(0), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function emulators(ctx?: TestContext): Promise<RunningEmulator> {
  const aws = await startAwsEmulator(estate, ctx);
  stops.push(() => aws.close());
  const s3 = await startS3();
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3 });
  return aws;
}

function providerFor(e: RunningEmulator, account: string, options?: AwsProviderOptions) {
  Object.assign(process.env, agentEnv({ baseUrl: e.url, stateDir, account }));
  return createAwsProvider(options);
}

/** An account-wide listing, as the shard runner gives one (region `*`, the shard's regions). */
const accountCtx = (account: string, regions = REGIONS): ListContext => ({
  account,
  region: '*',
  regions,
  signal: AbortSignal.timeout(25_000),
});

async function collect(pages: AsyncIterable<ResourcePage>): Promise<ResourcePage[]> {
  const out: ResourcePage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const expected = (account: string, type: string, regions = REGIONS) =>
  estate
    .filter((r) => r.account === account && r.type === type && (r.region === 'global' || regions.includes(r.region)))
    .sort(byId);
const found = (pages: ResourcePage[]): DiscoveredResource[] => pages.flatMap((p) => p.resources).sort(byId);

beforeAll(() => {
  expect(new Set(estate.map((r) => r.type))).toEqual(new Set([...AWS_S3_TYPES, ...AWS_IAM_TYPES]));
});

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

afterAll(() => {
  process.env = savedEnv;
  rmSync(stateDir, { recursive: true, force: true });
});

describe('aws provider: S3 and IAM on their own APIs', () => {
  it('lists every S3 and IAM type once per account with exactly the estate attributes', async () => {
    const e = await emulators();
    for (const account of ACCOUNTS) {
      const provider = providerFor(e, account);
      for (const type of [...AWS_S3_TYPES, ...AWS_IAM_TYPES]) {
        expect(resourceTypeInfo('aws', type)).toMatchObject({ level: 'attributes', listing: 'account' });
        const want = expected(account, type);
        expect(want.length, `${account} ${type}`).toBeGreaterThan(0);
        expect(found(await collect(provider.list(type, accountCtx(account)))), `${account} ${type}`).toEqual(want);
      }
    }
  });

  it('keeps buckets of the shard regions only; IAM is global whatever the regions', async () => {
    const e = await emulators();
    const provider = providerFor(e, ACCOUNTS[0]!);
    const ctx = accountCtx(ACCOUNTS[0]!, ['eu-west-1']);
    const buckets = found(await collect(provider.list('AWS::S3::Bucket', ctx)));
    expect(buckets).toEqual(expected(ACCOUNTS[0]!, 'AWS::S3::Bucket', ['eu-west-1']));
    expect(buckets.every((b) => b.region === 'eu-west-1')).toBe(true);
    const roles = found(await collect(provider.list('AWS::IAM::Role', ctx)));
    expect(roles).toEqual(expected(ACCOUNTS[0]!, 'AWS::IAM::Role'));
    expect(roles.every((r) => r.region === 'global')).toBe(true);
  });

  it('pages IAM with Marker and S3 with ContinuationToken; a cursor resumes after its page', async () => {
    const e = await emulators();
    const provider = providerFor(e, ACCOUNTS[1]!, { pageSizeCap: 3 });
    const ctx = accountCtx(ACCOUNTS[1]!);
    const roles = await collect(provider.list('AWS::IAM::Role', ctx));
    expect(roles.length).toBeGreaterThan(2);
    expect(roles.slice(0, -1).every((p) => p.resources.length === 3 && p.cursor)).toBe(true);
    expect(roles.at(-1)!.cursor).toBeUndefined();
    expect(found(roles)).toEqual(expected(ACCOUNTS[1]!, 'AWS::IAM::Role'));
    expect(e.ctx.calls.get('iam:GetAccountAuthorizationDetails')).toBe(roles.length);
    const resumed = await collect(provider.list('AWS::IAM::Role', ctx, roles[1]!.cursor));
    expect(resumed.flatMap((p) => p.resources)).toEqual(roles.slice(2).flatMap((p) => p.resources));

    const buckets = await collect(provider.list('AWS::S3::Bucket', ctx));
    expect(buckets.length).toBeGreaterThan(2);
    expect(found(buckets)).toEqual(expected(ACCOUNTS[1]!, 'AWS::S3::Bucket'));
  });

  it('a bucket without a policy, block or versioning has no such resource, and the call does not fail', async () => {
    const e = await emulators();
    const account = ACCOUNTS[0]!;
    const provider = providerFor(e, account);
    const buckets = expected(account, 'AWS::S3::Bucket').map((b) => b.id);
    for (const type of ['AWS::S3::BucketPolicy', 'AWS::S3::BucketPublicAccessBlock', 'AWS::S3::BucketVersioning']) {
      const ids = found(await collect(provider.list(type, accountCtx(account)))).map((r) => r.id);
      expect(ids.length, type).toBeLessThan(buckets.length);
      expect(
        ids.every((id) => buckets.includes(id)),
        type,
      ).toBe(true);
    }
  });

  it('absorbs IAM throttling, 5xx and dropped connections and still finds everything', async () => {
    const ctx = new TestContext({ faultRate: 0.4 });
    const e = await emulators(ctx);
    const provider = providerFor(e, ACCOUNTS[0]!, { pageSizeCap: 4 });
    for (const type of AWS_IAM_TYPES) {
      const pages = await collect(provider.list(type, accountCtx(ACCOUNTS[0]!)));
      expect(found(pages), type).toEqual(expected(ACCOUNTS[0]!, type));
    }
    expect(ctx.faultsServed.get('throttle')).toBeGreaterThan(0);
    expect(ctx.faultsServed.get('server-error')).toBeGreaterThan(0);
  });
});
