import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { signStsProof } from '../agents/sts-proof.js';
import type { AwsStsProof } from '../contract/agent-protocol.js';
import { EMULATOR_SECRET_ACCESS_KEY, emulatorAccessKeyId } from '../emulator/aws/env.js';
import { api, mintToken } from '../test/support/worker/api.js';

/**
 * Agent tokens that require proof: every lease carries an sts:GetCallerIdentity request the
 * agent signed with its own credentials, which the gateway sends to STS (here the emulator's,
 * which checks signatures as STS does and answers with the account of the signing key).
 */
const ACCOUNT = '830000000001';
const STRANGER = '830000000002';
const STS = env.AWS_STS_ENDPOINT;

let agent: { id: string; token: string };

beforeAll(async () => {
  agent = await mintToken({ role: 'agent', provider: 'aws', accounts: [ACCOUNT], require_proof: true });
});

/** A proof as the agent makes it, signed with the emulator's credentials of `account`. */
function proofFor(account: string, overrides: { tokenId?: string; endpoint?: string; secret?: string } = {}) {
  return signStsProof({
    endpoint: overrides.endpoint ?? STS,
    region: 'us-east-1',
    tokenId: overrides.tokenId ?? agent.id,
    credentials: {
      accessKeyId: emulatorAccessKeyId(account),
      secretAccessKey: overrides.secret ?? EMULATOR_SECRET_ACCESS_KEY,
    },
  });
}

function leaseWith(proof: AwsStsProof | undefined, token = agent.token) {
  return api(
    'POST',
    '/api/v1/agents/lease',
    { agent_id: 'proving', provider: 'aws', account: ACCOUNT, wait_seconds: 0, ...(proof ? { proof } : {}) },
    token,
  );
}

describe('leases that must prove their account (STS GetCallerIdentity)', () => {
  it('takes a proof signed with credentials of the account', async () => {
    expect((await leaseWith(await proofFor(ACCOUNT))).status).toBe(204);
  });

  it('refuses a lease without proof with 401 proof_required', async () => {
    const res = await leaseWith(undefined);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('proof_required');
  });

  it('refuses a proof signed with credentials of another account with 403, naming both', async () => {
    const res = await leaseWith(await proofFor(STRANGER));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      `proof: the credentials that signed it belong to AWS account ${STRANGER}, not ${ACCOUNT}`,
    );
  });

  it('refuses, as STS does, a proof signed with a wrong secret or altered after signing', async () => {
    const forged = await leaseWith(await proofFor(ACCOUNT, { secret: 'not-the-secret' }));
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({
      code: 'proof_invalid',
      message: 'proof: STS refused it: SignatureDoesNotMatch',
    });

    // A proof made for another token, its token header rewritten to pass as this token's.
    const other = await proofFor(ACCOUNT, { tokenId: 'tok_someoneelse' });
    const rewritten = { ...other, headers: { ...other.headers, 'x-driftmgr-token-id': agent.id } };
    const replayed = await leaseWith(rewritten);
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.message).toBe('proof: STS refused it: SignatureDoesNotMatch');
  });

  it('refuses a proof bound to another token, for another host, or of another call before asking STS', async () => {
    const cases: [AwsStsProof, string][] = [
      [await proofFor(ACCOUNT, { tokenId: 'tok_someoneelse' }), 'x-driftmgr-token-id'],
      [await proofFor(ACCOUNT, { endpoint: 'https://sts.amazonaws.com' }), 'sign it for'],
      [{ ...(await proofFor(ACCOUNT)), body: 'Action=GetSessionToken&Version=2011-06-15' }, 'GetCallerIdentity'],
      [{ ...(await proofFor(ACCOUNT)), headers: { authorization: 'Bearer x' } }, 'SigV4'],
    ];
    for (const [proof, says] of cases) {
      const res = await leaseWith(proof);
      expect(res.status, says).toBe(401);
      expect(res.body.error.code).toBe('proof_invalid');
      expect(res.body.error.message).toContain(says);
    }
  });

  it('asks nothing of tokens that need no proof, and ignores a proof they send', async () => {
    const plain = await mintToken({ role: 'agent', provider: 'aws', accounts: [ACCOUNT] });
    expect((await leaseWith(undefined, plain.token)).status).toBe(204);
    expect((await leaseWith(await proofFor(STRANGER), plain.token)).status).toBe(204);
  });
});
