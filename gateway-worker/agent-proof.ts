import { type AccountProof, type LeaseRequest, PROOF_TOKEN_HEADER } from '../contract/agent-protocol.js';
import { ErrorCode } from '../contract/errors.js';
import { ApiError } from './errors.js';
import type { Principal } from './principal.js';

/** STS's public endpoint; AWS_STS_ENDPOINT points elsewhere (a regional endpoint, the emulator). */
const DEFAULT_STS_ENDPOINT = 'https://sts.amazonaws.com';
/** The one call a proof may be: GetCallerIdentity needs no permission, so every identity can make it. */
const GET_CALLER_IDENTITY = { Action: 'GetCallerIdentity', Version: '2011-06-15' };
/** Headers fetch sets itself from the URL and body; the signed Host is checked against the URL instead. */
const FETCH_OWNED_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

const invalid = (message: string) => new ApiError(401, ErrorCode.proofInvalid, `proof: ${message}`);

/**
 * Checks that an agent holds credentials of the account it asks to serve, the way HashiCorp
 * Vault's AWS IAM auth method does: the agent signs an `sts:GetCallerIdentity` request with its
 * own credentials and hands it over unsent; the gateway sends it to STS, which answers with
 * the account of whoever signed it. A signature binds the request to the STS host and to the
 * agent's token id (a signed header), so a proof works only here and only with its own token.
 */
export async function checkAccountProof(
  env: Env,
  principal: Principal,
  lease: Pick<LeaseRequest, 'provider' | 'account'>,
  proof: AccountProof | undefined,
): Promise<void> {
  if (!proof) {
    throw new ApiError(
      401,
      ErrorCode.proofRequired,
      'this agent token requires proof of its account: run the agent with --prove-account',
    );
  }
  if (lease.provider !== 'aws') throw invalid(`${lease.provider} agents cannot prove their account yet`);
  const endpoint = new URL(env.AWS_STS_ENDPOINT || DEFAULT_STS_ENDPOINT);
  const request = stsRequestOf(proof, endpoint, principal.actor);
  const account = await callerAccount(endpoint, request);
  if (account !== lease.account) {
    throw new ApiError(
      403,
      ErrorCode.forbidden,
      `proof: the credentials that signed it belong to AWS account ${account}, not ${lease.account}`,
    );
  }
}

/** The proof as a request to this gateway's STS endpoint, once it is plainly a GetCallerIdentity for this token. */
function stsRequestOf(proof: AccountProof, endpoint: URL, tokenId: string): RequestInit {
  let url: URL;
  try {
    url = new URL(proof.url);
  } catch {
    throw invalid('url is not a URL');
  }
  if (url.origin !== endpoint.origin || url.pathname !== '/' || url.search !== '') {
    throw invalid(`sign it for ${endpoint.origin}/, the STS endpoint this gateway calls`);
  }
  const body = new URLSearchParams(proof.body);
  const params = Object.fromEntries(body);
  if (
    [...body.keys()].length !== 2 ||
    params.Action !== GET_CALLER_IDENTITY.Action ||
    params.Version !== GET_CALLER_IDENTITY.Version
  ) {
    throw invalid('the body must be Action=GetCallerIdentity&Version=2011-06-15 and nothing else');
  }
  const headers = Object.fromEntries(Object.entries(proof.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const signed = /SignedHeaders=([^,\s]+)/.exec(headers.authorization ?? '')?.[1]?.split(';') ?? [];
  if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/sts\/aws4_request,/.test(headers.authorization ?? '')) {
    throw invalid('it must carry an AWS SigV4 signature for the sts service');
  }
  if (!signed.includes('host') || headers.host !== url.host) throw invalid(`the signed host must be ${url.host}`);
  if (!signed.includes(PROOF_TOKEN_HEADER) || headers[PROOF_TOKEN_HEADER] !== tokenId) {
    throw invalid(`the signed ${PROOF_TOKEN_HEADER} header must be the id of the token it is sent with`);
  }
  return {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(headers).filter(([k]) => !FETCH_OWNED_HEADERS.has(k))),
    body: proof.body,
  };
}

/** Sends the signed request to STS and reads the account from its GetCallerIdentityResult. */
async function callerAccount(endpoint: URL, request: RequestInit): Promise<string> {
  let res: Response;
  try {
    res = await fetch(new URL('/', endpoint), { ...request, redirect: 'manual' });
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'error', msg: 'STS unreachable', endpoint: endpoint.origin, error: String(err) }),
    );
    throw new ApiError(503, ErrorCode.unavailable, 'proof: STS could not be reached; lease again later');
  }
  const xml = await res.text();
  if (!res.ok) {
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(xml)?.[1] ?? `HTTP ${res.status}`;
    if (res.status >= 500)
      throw new ApiError(503, ErrorCode.unavailable, `proof: STS answered ${code}; lease again later`);
    throw invalid(`STS refused it: ${code}`);
  }
  const account = /<GetCallerIdentityResult>[\s\S]*?<Account>(\d{12})<\/Account>/.exec(xml)?.[1];
  if (!account) throw invalid('STS answered without an account');
  return account;
}
