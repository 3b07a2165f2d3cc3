import { DescribeInstancesCommand, DescribeKeyPairsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startAwsEmulator, TestContext } from '../../test/support/aws-emulator.js';
import { createRng } from '../rng.js';
import { emulatorAccessKeyId } from './env.js';
import { generateAwsEstate } from './estate.js';

const ACCOUNTS = ['111122223333', '444455556666'];
const estate = generateAwsEstate({ rng: createRng(3), count: 600, accounts: ACCOUNTS, regions: ['us-west-2'] });
let emu: RunningEmulator;

const client = (account: string, region = 'us-west-2') =>
  new EC2Client({
    region,
    endpoint: emu.url,
    maxAttempts: 1,
    credentials: { accessKeyId: emulatorAccessKeyId(account), secretAccessKey: 'secret' },
  });

/** A raw, signed-looking Query API call, for what the SDK cannot send. */
async function rawCall(
  body: string,
  authorization = 'AWS4-HMAC-SHA256 Credential=AKIA111122223333EMUL/20260101/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=x',
) {
  const res = await fetch(emu.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body,
  });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  emu = await startAwsEmulator(estate);
});

afterAll(async () => {
  await emu.close();
});

describe('EC2 Query API emulator', () => {
  it('serves DescribeInstances as reservations with the estate instances, per account from the key id', async () => {
    for (const account of ACCOUNTS) {
      const out = await client(account).send(new DescribeInstancesCommand({ MaxResults: 1000 }));
      const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      const want = estate.filter((r) => r.account === account && r.type === 'AWS::EC2::Instance');
      expect(instances.map((i) => i.InstanceId).sort()).toEqual(want.map((r) => r.id).sort());
      expect(out.Reservations!.every((r) => r.OwnerId === account)).toBe(true);
      expect(instances[0]!.LaunchTime).toBeInstanceOf(Date);
      expect(instances[0]!.State?.Name).toMatch(/running|stopped/);
    }
  });

  it('answers with an empty list in a region without resources', async () => {
    const out = await client(ACCOUNTS[0]!, 'ap-south-1').send(new DescribeVpcsCommand({}));
    expect(out.Vpcs).toEqual([]);
  });

  it('returns public keys only with IncludePublicKey', async () => {
    const plain = await client(ACCOUNTS[0]!).send(new DescribeKeyPairsCommand({}));
    const withKeys = await client(ACCOUNTS[0]!).send(new DescribeKeyPairsCommand({ IncludePublicKey: true }));
    expect(plain.KeyPairs!.length).toBeGreaterThan(0);
    expect(plain.KeyPairs!.every((k) => k.PublicKey === undefined)).toBe(true);
    expect(withKeys.KeyPairs!.every((k) => k.PublicKey?.startsWith('ssh-'))).toBe(true);
  });

  it('looks resources up by id and reports unknown ids with EC2 error codes', async () => {
    const vpc = estate.find((r) => r.account === ACCOUNTS[1] && r.type === 'AWS::EC2::VPC')!;
    const out = await client(ACCOUNTS[1]!).send(new DescribeVpcsCommand({ VpcIds: [vpc.id] }));
    expect(out.Vpcs!.map((v) => v.VpcId)).toEqual([vpc.id]);
    await expect(
      client(ACCOUNTS[1]!).send(new DescribeVpcsCommand({ VpcIds: ['vpc-00000000000000000'] })),
    ).rejects.toMatchObject({
      name: 'InvalidVpcID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects MaxResults outside the action limits', async () => {
    await expect(client(ACCOUNTS[0]!).send(new DescribeInstancesCommand({ MaxResults: 4 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(client(ACCOUNTS[0]!).send(new DescribeInstancesCommand({ MaxResults: 1001 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('answers unknown actions and unsigned requests in the EC2 error format', async () => {
    const unknown = await rawCall('Action=DescribeUnicorns&Version=2016-11-15');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(
      /<Response><Errors><Error><Code>InvalidAction<\/Code><Message>.+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>/,
    );
    const unsigned = await rawCall('Action=DescribeVpcs&Version=2016-11-15', '');
    expect(unsigned.status).toBe(401);
    expect(unsigned.text).toContain('<Code>AuthFailure</Code>');
  });

  it('replies in the EC2 namespace with lowerCamel element names and item lists', async () => {
    const { status, text } = await rawCall('Action=DescribeVpcs&Version=2016-11-15&MaxResults=5');
    expect(status).toBe(200);
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeVpcsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>/,
    );
    expect(text).toContain('<vpcSet><item><ownerId>111122223333</ownerId>');
    expect(text).toContain('<isDefault>true</isDefault>');
  });
});

describe('EC2 throttling', () => {
  it('answers RequestLimitExceeded with HTTP 503 once the per-account, per-region bucket is empty', async () => {
    const throttled = await startAwsEmulator(
      estate,
      new TestContext({ bucket: { capacity: 2, refillPerSecond: 0.01 } }),
    );
    try {
      const c = new EC2Client({
        region: 'us-west-2',
        endpoint: throttled.url,
        maxAttempts: 1,
        credentials: { accessKeyId: emulatorAccessKeyId(ACCOUNTS[0]!), secretAccessKey: 's' },
      });
      await c.send(new DescribeVpcsCommand({ MaxResults: 5 }));
      await c.send(new DescribeVpcsCommand({ MaxResults: 5 }));
      await expect(c.send(new DescribeVpcsCommand({ MaxResults: 5 }))).rejects.toMatchObject({
        name: 'RequestLimitExceeded',
        $metadata: { httpStatusCode: 503 },
      });
      // Another account has its own bucket.
      const other = new EC2Client({
        region: 'us-west-2',
        endpoint: throttled.url,
        maxAttempts: 1,
        credentials: { accessKeyId: emulatorAccessKeyId(ACCOUNTS[1]!), secretAccessKey: 's' },
      });
      await expect(other.send(new DescribeVpcsCommand({ MaxResults: 5 }))).resolves.toBeDefined();
    } finally {
      await throttled.close();
    }
  });
});
