import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { type AwsStsProof, PROOF_TOKEN_HEADER } from '../contract/agent-protocol.js';

/** The one request a proof is: GetCallerIdentity needs no permission, so any identity can sign it. */
const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const DEFAULT_STS_ENDPOINT = 'https://sts.amazonaws.com';
/** The global endpoint signs in us-east-1; regional ones (`sts.<region>.amazonaws.com`) in their own. */
const GLOBAL_STS_REGION = 'us-east-1';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytesOf = (data: SourceData): Buffer | string =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256, or HMAC-SHA-256 when given a key: the hash @smithy/signature-v4 signs with, from node:crypto. */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** Where to sign for: the SDK's standard settings (AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL), else the global endpoint. */
export function stsEndpointOf(env: Record<string, string | undefined>): { endpoint: string; region: string } {
  const endpoint = env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || DEFAULT_STS_ENDPOINT;
  const regional = /^sts\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(endpoint).hostname)?.[1];
  return { endpoint, region: regional ?? (env.AWS_REGION || GLOBAL_STS_REGION) };
}

export interface StsProofOptions {
  endpoint: string;
  region: string;
  /** The id of the agent's token: signed into the request so the proof works with that token only. */
  tokenId: string;
  credentials: AwsCredentials;
  signingDate?: Date;
}

/**
 * Signs, and does not send, an `sts:GetCallerIdentity` request with the agent's own
 * credentials. The gateway sends it to STS, which answers with the account of the signer:
 * proof that this agent holds credentials of the account it asks to serve.
 */
export async function signStsProof(opts: StsProofOptions): Promise<AwsStsProof> {
  const url = new URL(opts.endpoint);
  const signer = new SignatureV4({
    service: 'sts',
    region: opts.region,
    credentials: opts.credentials,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        [PROOF_TOKEN_HEADER]: opts.tokenId,
      },
      body: GET_CALLER_IDENTITY_BODY,
    },
    { signingDate: opts.signingDate },
  );
  return {
    kind: 'aws-sts',
    method: 'POST',
    url: `${url.origin}/`,
    headers: signed.headers,
    body: GET_CALLER_IDENTITY_BODY,
  };
}
