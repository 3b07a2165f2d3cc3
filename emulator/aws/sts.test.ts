import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsProofSource } from '../../agents/account-proof.js';
import { signStsProof } from '../../agents/sts-proof.js';
import type { AwsStsProof } from '../../contract/agent-protocol.js';
import { type RunningEmulator, startAwsEmulator } from '../../test/support/aws-emulator.js';
import { EMULATOR_SECRET_ACCESS_KEY, emulatorAccessKeyId } from './env.js';

const ACCOUNT = '123456789012';
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startAwsEmulator([]);
});

afterAll(async () => {
  await emulator.close();
});

function sign(opts: { account?: string; secret?: string; signingDate?: Date } = {}): Promise<AwsStsProof> {
  return signStsProof({
    endpoint: emulator.url,
    region: 'us-east-1',
    tokenId: 'tok_test',
    credentials: {
      accessKeyId: emulatorAccessKeyId(opts.account ?? ACCOUNT),
      secretAccessKey: opts.secret ?? EMULATOR_SECRET_ACCESS_KEY,
    },
    signingDate: opts.signingDate,
  });
}

/** Sends a proof as the gateway does: its headers but Host, which the URL sets. */
async function send(proof: AwsStsProof): Promise<{ status: number; type: string | null; xml: string }> {
  const { host: _, ...headers } = proof.headers;
  const res = await fetch(proof.url, { method: proof.method, headers, body: proof.body });
  return { status: res.status, type: res.headers.get('content-type'), xml: await res.text() };
}

const errorCode = (xml: string) => /<ErrorResponse[^>]*>[\s\S]*<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

describe('the emulator’s STS GetCallerIdentity', () => {
  it('answers a signed request with the account of the signing key, in the Query API XML', async () => {
    for (const account of [ACCOUNT, '210987654321']) {
      const res = await send(await sign({ account }));
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/xml');
      expect(res.xml).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
      expect(res.xml).toContain(`<Account>${account}</Account>`);
      expect(res.xml).toContain(`<Arn>arn:aws:iam::${account}:user/driftmgr-emulator</Arn>`);
      expect(res.xml).toMatch(/<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>/);
    }
  });

  it('refuses a signature made with another secret, or a request altered after signing', async () => {
    expect(errorCode((await send(await sign({ secret: 'guessed' }))).xml)).toBe('SignatureDoesNotMatch');
    const proof = await sign();
    const altered = { ...proof, headers: { ...proof.headers, 'x-driftmgr-token-id': 'tok_other' } };
    const res = await send(altered);
    expect(res.status).toBe(403);
    expect(errorCode(res.xml)).toBe('SignatureDoesNotMatch');
  });

  it('refuses a signature older than 15 minutes, and actions other than GetCallerIdentity', async () => {
    const old = await send(await sign({ signingDate: new Date(Date.now() - 16 * 60_000) }));
    expect(old.status).toBe(403);
    expect(old.xml).toContain('Signature expired');
    const other = await send({ ...(await sign()), body: 'Action=AssumeRole&Version=2011-06-15' });
    expect(other.status).toBe(400);
    expect(errorCode(other.xml)).toBe('InvalidAction');
  });

  it('leaves requests signed for EC2 to EC2', async () => {
    const ec2 = await fetch(emulator.url, {
      method: 'POST',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAX/20260101/us-east-1/ec2/aws4_request, x' },
      body: 'Action=DescribeVpcs&Version=2016-11-15',
    });
    expect(await ec2.text()).toContain('<DescribeVpcsResponse');
  });

  it('verifies the proof an agent makes from its credential chain for the STS endpoint of its settings', async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = emulatorAccessKeyId(ACCOUNT);
    process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_SECRET_ACCESS_KEY;
    try {
      const source = awsProofSource(`tok_agent.${'A'.repeat(43)}`, { AWS_ENDPOINT_URL_STS: emulator.url });
      const proof = await source();
      expect(proof.headers['x-driftmgr-token-id']).toBe('tok_agent');
      expect(proof.url).toBe(`${emulator.url}/`);
      expect((await send(proof)).xml).toContain(`<Account>${ACCOUNT}</Account>`);
    } finally {
      process.env = saved;
    }
  });
});
