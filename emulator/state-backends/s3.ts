import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountFromAccessKeyId } from '../aws/env.js';
import type { StateBackendObjects } from './objects.js';
import type { S3Control } from './s3-control.js';
import { decodeMarker, encodeMarker, md5Etag, page, send, sortedEntries, xml } from './wire.js';

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, …` */
const S3_CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/s3\/aws4_request/;

export const isS3Request = (req: IncomingMessage) => S3_CREDENTIAL.test(req.headers.authorization ?? '');

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MAX_KEYS = 1000;

function s3Error(res: ServerResponse, status: number, code: string, message: string, resource: string) {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>` +
    `<Resource>${xml(resource)}</Resource><RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
  send(res, status, { 'content-type': 'application/xml' }, body);
}

/**
 * S3's REST API for state buckets, path-style (`/bucket?list-type=2`, `/bucket/key`): ListObjectsV2
 * with prefix, max-keys and continuation tokens, and GetObject with its ETag. A bucket belongs to
 * one account; callers signing with another account's key id get AccessDenied, as a bucket
 * without a policy for them answers.
 */
export function serveS3(
  objects: StateBackendObjects,
  req: IncomingMessage,
  res: ServerResponse,
  control?: S3Control,
): void {
  const url = new URL(req.url ?? '/', 'http://s3.local');
  const [, bucketName = '', ...keyParts] = url.pathname.split('/');
  const key = keyParts.map(decodeURIComponent).join('/');
  const caller = accountFromAccessKeyId(S3_CREDENTIAL.exec(req.headers.authorization ?? '')?.[1] ?? '');
  // The estate's buckets: ListBuckets and their configuration (s3-control.ts).
  if (control?.(req, res, caller, (status, code, message, resource) => s3Error(res, status, code, message, resource)))
    return;
  const bucket = objects.s3.get(bucketName);
  if (!bucket) return s3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `/${bucketName}`);
  if (caller !== bucket.owner) return s3Error(res, 403, 'AccessDenied', 'Access Denied', `/${bucketName}/${key}`);
  if (req.method !== 'GET') return s3Error(res, 405, 'MethodNotAllowed', 'Not served here', url.pathname);
  if (key === '') return listObjectsV2(bucketName, bucket.objects, url.searchParams, res);
  const object = bucket.objects.get(key);
  if (!object) return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.', `/${bucketName}/${key}`);
  send(
    res,
    200,
    {
      'content-type': 'application/json',
      etag: md5Etag(object),
      'last-modified': object.modified.toUTCString(),
      'accept-ranges': 'bytes',
    },
    object.bytes,
  );
}

function listObjectsV2(
  bucketName: string,
  bucketObjects: Map<string, import('./objects.js').StoredObject>,
  params: URLSearchParams,
  res: ServerResponse,
) {
  if (params.get('list-type') !== '2') {
    return s3Error(res, 400, 'InvalidArgument', 'Only ListObjectsV2 is served', `/${bucketName}`);
  }
  const prefix = params.get('prefix') ?? '';
  const maxKeys = Math.min(MAX_KEYS, Number(params.get('max-keys') ?? MAX_KEYS));
  const token = params.get('continuation-token');
  const { items, next } = page(sortedEntries(bucketObjects), prefix, decodeMarker(token), maxKeys);
  const contents = items
    .map(
      ([key, o]) =>
        `<Contents><Key>${xml(key)}</Key><LastModified>${o.modified.toISOString()}</LastModified>` +
        `<ETag>${xml(md5Etag(o))}</ETag><Size>${o.bytes.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_NS}"><Name>${xml(bucketName)}</Name>` +
    `<Prefix>${xml(prefix)}</Prefix><KeyCount>${items.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    (token ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : '') +
    `<IsTruncated>${next !== undefined}</IsTruncated>` +
    (next !== undefined ? `<NextContinuationToken>${encodeMarker(next)}</NextContinuationToken>` : '') +
    `${contents}</ListBucketResult>`;
  send(res, 200, { 'content-type': 'application/xml' }, body);
}
