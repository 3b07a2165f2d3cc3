import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudControlClient, GetResourceCommand, ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_SECRET_ACCESS_KEY, emulatorAccessKeyId } from './aws/env.js';
import { createAwsHandler } from './aws/handler.js';
import { generateEstate } from './estate.js';
import { EmulatorControls } from './faults.js';
import { AWS_QUOTAS, QuotaLedger, withAwsQuotas } from './quotas.js';
import { serveCloud } from './server.js';
import type { EmulatorContext } from './types.js';

const estate = generateEstate({ seed: 3, resources: 300, only: 'aws', layout: { accounts: 2 } });
const [accountA, accountB] = estate.accounts.aws as [string, string];

/**
 * The AWS handler behind the quotas, on a clock that stands still, so buckets empty exactly at
 * their capacity; once `refillOnThrottle` is set, a throttled call moves it on a second, so the
 * retry finds a refill.
 */
async function startQuotaEmulator() {
  let now = 1_000_000;
  const clock = { refillOnThrottle: false };
  const controls = new EmulatorControls({ now: () => now });
  const ctx: EmulatorContext = {
    fault: () => controls.fault(),
    delay: () => controls.delay(),
    record: (provider, action) => controls.record(provider, action),
    takeToken: (key, capacity, refill) => {
      const taken = controls.takeToken(key, capacity, refill);
      if (!taken && clock.refillOnThrottle) now += 1000;
      return taken;
    },
  };
  const ledger = new QuotaLedger();
  const handler = withAwsQuotas(
    createAwsHandler(
      estate.resources.filter((r) => r.provider === 'aws'),
      ctx,
    ),
    ctx,
    ledger,
    accountA,
  );
  const server: Server = createServer(serveCloud('aws', handler, () => controls.stats()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, controls, ledger, server, clock };
}

const credentials = (account: string) => ({
  accessKeyId: emulatorAccessKeyId(account),
  secretAccessKey: EMULATOR_SECRET_ACCESS_KEY,
});

describe('--quotas aws', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('throttles Cloud Control ListResources past its bucket with a 400 ThrottlingException, per account and region', async () => {
    const emu = await startQuotaEmulator();
    server = emu.server;
    const client = (account: string, region: string, maxAttempts: number) =>
      new CloudControlClient({ endpoint: emu.url, region, credentials: credentials(account), maxAttempts });
    const list = (c: CloudControlClient) => c.send(new ListResourcesCommand({ TypeName: 'AWS::SQS::Queue' }));
    const once = client(accountA, 'us-east-1', 1);
    const { capacity } = AWS_QUOTAS['cloudcontrol:read'];
    for (let i = 0; i < capacity; i++) await list(once);
    const refused = await list(once).catch((err: unknown) => err);
    expect(refused).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    // GetResource, the per-resource detail call, draws from the same bucket.
    const detail = await once
      .send(new GetResourceCommand({ TypeName: 'AWS::SQS::Queue', Identifier: 'https://sqs/q' }))
      .catch((err: unknown) => err);
    expect(detail).toMatchObject({ name: 'ThrottlingException' });
    // Other regions and accounts have buckets of their own.
    await expect(list(client(accountA, 'eu-west-1', 1))).resolves.toBeDefined();
    await expect(list(client(accountB, 'us-east-1', 1))).resolves.toBeDefined();
    expect(emu.controls.stats().rateLimited).toBe(2);
    const usage = emu.ledger.usage().find((u) => u.account === accountA && u.region === 'us-east-1');
    expect(usage).toMatchObject({ bucket: 'CloudControl', served: capacity, longestListing: capacity });
  });

  it("throttles EC2 with a 503 RequestLimitExceeded, and the SDK's own retry gets the call through", async () => {
    const emu = await startQuotaEmulator();
    server = emu.server;
    const client = (maxAttempts: number) =>
      new EC2Client({ endpoint: emu.url, region: 'us-east-1', credentials: credentials(accountA), maxAttempts });
    // Unpaginated DescribeInstances is in EC2's smaller class of unfiltered, unpaginated calls.
    const { capacity } = AWS_QUOTAS['ec2:describe-unfiltered-unpaginated'];
    const once = client(1);
    for (let i = 0; i < capacity; i++) await once.send(new DescribeInstancesCommand({}));
    const refused = await once.send(new DescribeInstancesCommand({})).catch((err: unknown) => err);
    expect(refused).toMatchObject({ name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } });

    emu.clock.refillOnThrottle = true;
    const retried = await client(3).send(new DescribeInstancesCommand({}));
    expect(retried.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 2 });
    const instances = estate.resources.filter(
      (r) => r.type === 'AWS::EC2::Instance' && r.account === accountA && r.region === 'us-east-1',
    );
    expect(retried.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(instances.length);
    expect(emu.ledger.usage()).toEqual([
      expect.objectContaining({
        account: accountA,
        region: 'us-east-1',
        bucket: 'DescribeInstances',
        quotaClass: 'ec2:describe-unfiltered-unpaginated',
        served: capacity + 1,
      }),
    ]);
    expect(emu.controls.stats().rateLimited).toBe(2);
  });

  it('puts paginated Describe calls in the larger describe bucket', async () => {
    const emu = await startQuotaEmulator();
    server = emu.server;
    const ec2 = new EC2Client({ endpoint: emu.url, region: 'eu-west-1', credentials: credentials(accountB) });
    await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    expect(emu.ledger.usage()).toEqual([
      expect.objectContaining({ account: accountB, region: 'eu-west-1', quotaClass: 'ec2:describe', served: 1 }),
    ]);
  });

  it('throttles IAM past its bucket with a 400 Throttling on its query protocol', async () => {
    const emu = await startQuotaEmulator();
    server = emu.server;
    const iam = new IAMClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: credentials(accountA),
      maxAttempts: 1,
    });
    const { capacity } = AWS_QUOTAS['iam:GetAccountAuthorizationDetails'];
    for (let i = 0; i < capacity; i++) await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    const refused = await iam.send(new GetAccountAuthorizationDetailsCommand({})).catch((err: unknown) => err);
    expect(refused).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  });
});
