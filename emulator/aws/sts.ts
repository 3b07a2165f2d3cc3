import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountFromAccessKeyId, EMULATOR_SECRET_ACCESS_KEY } from './env.js';

/**
 * STS `GetCallerIdentity` on its real Query/XML protocol: a form POST
 * `Action=GetCallerIdentity&Version=2011-06-15`, SigV4-signed for the `sts` service, answered
 * with the account the signing key belongs to (the key id maps to an account as for EC2).
 * Unlike EC2 here, the signature is checked, as STS does: against the emulator's one secret,
 * over the signed headers and the body, within 15 minutes of its date. That is what makes a
 * signed GetCallerIdentity proof of holding an account's credentials.
 */

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const STS_VERSION = '2011-06-15';
/** STS refuses signatures older or newer than this. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether a request is signed for STS: such requests are this file's, whatever port they came to. */
export function isStsRequest(req: IncomingMessage): boolean {
  return /\/sts\/aws4_request/.test(req.headers.authorization ?? '');
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The SigV4 signature of a request, computed here from scratch (not by the SDK's signer the agent used). */
function signatureOf(
  req: IncomingMessage,
  body: Buffer,
  scope: { date: string; region: string },
  signed: string[],
): string {
  const url = new URL(req.url ?? '/', 'http://sts');
  const query = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalHeaders = signed.map(
    (name) =>
      `${name}:${String(req.headers[name] ?? '')
        .trim()
        .replace(/\s+/g, ' ')}\n`,
  );
  const canonicalRequest = [
    req.method,
    url.pathname,
    query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
    canonicalHeaders.join(''),
    signed.join(';'),
    sha256Hex(body),
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/sts/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    req.headers['x-amz-date'],
    credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  let key: Buffer = hmac(`AWS4${EMULATOR_SECRET_ACCESS_KEY}`, scope.date);
  for (const part of [scope.region, 'sts', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

/** `20260101T000000Z` → epoch ms, or NaN. */
function amzDate(value: string | string[] | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? ''));
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

/** The access key id that signed the request, once its signature holds. */
function verifiedKeyId(req: IncomingMessage, body: Buffer): string {
  const auth = AUTHORIZATION.exec(req.headers.authorization ?? '');
  if (!auth) throw new StsError(400, 'IncompleteSignature', 'The request signature does not conform to AWS standards.');
  const [, keyId, date, region, signedHeaders, signature] = auth as unknown as string[];
  const signed = signedHeaders!.split(';');
  const at = amzDate(req.headers['x-amz-date']);
  if (!signed.includes('host') || !signed.includes('x-amz-date') || Number.isNaN(at)) {
    throw new StsError(400, 'IncompleteSignature', 'The request must sign the host and x-amz-date headers.');
  }
  if (Math.abs(Date.now() - at) > MAX_SKEW_MS) throw new StsError(403, 'SignatureDoesNotMatch', 'Signature expired.');
  const expected = signatureOf(req, body, { date: date!, region: region! }, signed);
  if (
    expected !== signature ||
    (req.headers['x-amz-content-sha256'] && req.headers['x-amz-content-sha256'] !== sha256Hex(body))
  ) {
    throw new StsError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return keyId!;
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

const callerIdentityXml = (account: string, keyId: string, requestId: string) =>
  `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${account}:user/driftmgr-emulator</Arn>
    <UserId>${keyId}</UserId>
    <Account>${account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;

const errorXml = (code: string, message: string, requestId: string) =>
  `<ErrorResponse xmlns="${STS_NAMESPACE}">
  <Error>
    <Type>Sender</Type>
    <Code>${code}</Code>
    <Message>${message}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;

/** Answers one STS call; `defaultAccount` serves key ids that name no account, as EC2 does. */
export function serveSts(req: IncomingMessage, body: Buffer, res: ServerResponse, defaultAccount: string): void {
  const requestId = randomUUID();
  try {
    if (req.method !== 'POST') throw new StsError(400, 'InvalidAction', 'STS Query calls are form POSTs here.');
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action');
    if (!action) throw new StsError(400, 'MissingAction', 'The request must contain the parameter Action.');
    if (action !== 'GetCallerIdentity') {
      throw new StsError(400, 'InvalidAction', `Could not find operation ${action} for version ${STS_VERSION}`);
    }
    if (params.get('Version') !== STS_VERSION)
      throw new StsError(400, 'InvalidParameterValue', `Version must be ${STS_VERSION}`);
    const keyId = verifiedKeyId(req, body);
    send(res, 200, callerIdentityXml(accountFromAccessKeyId(keyId) ?? defaultAccount, keyId, requestId), requestId);
  } catch (err) {
    if (!(err instanceof StsError)) throw err;
    send(res, err.status, errorXml(err.code, err.message, requestId), requestId);
  }
}
