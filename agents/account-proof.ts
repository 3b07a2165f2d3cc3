import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AccountProof } from '../contract/agent-protocol.js';
import { tokenIdOf } from '../contract/tokens.js';
import { signStsProof, stsEndpointOf } from './sts-proof.js';

/**
 * Where an AWS agent's lease proofs come from: a GetCallerIdentity signed afresh for each lease
 * with the credentials the SDK's default chain finds (the same the agent discovers with), for
 * the STS endpoint of the SDK's standard settings, bound to the agent's token id.
 */
export function awsProofSource(token: string, env: Record<string, string | undefined>): () => Promise<AccountProof> {
  const tokenId = tokenIdOf(token);
  if (!tokenId) throw new Error('proof is bound to a token made by POST /api/v1/tokens');
  const { endpoint, region } = stsEndpointOf(env);
  const credentials = defaultProvider();
  return async () => signStsProof({ endpoint, region, tokenId, credentials: await credentials() });
}
