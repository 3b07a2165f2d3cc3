import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveredResource } from '../../contract/resource.js';
import { decodeMarker, encodeMarker, page, send, xml } from './wire.js';

/**
 * S3's bucket-level REST calls over the estate's S3 resources, beside the state buckets' objects
 * (s3.ts): ListBuckets (`GET /`, max-buckets and continuation-token paging, each bucket's
 * BucketRegion) and, per bucket, `?location`, `?tagging`, `?policy`, `?publicAccessBlock`,
 * `?encryption` and `?versioning`, answered in S3's XML or with the "NoSuch…" error S3 gives a
 * bucket without that configuration. A caller sees its own account's buckets only.
 */

type Attrs = Record<string, unknown>;

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MAX_BUCKETS = 10_000;
const SUBRESOURCES = ['location', 'tagging', 'policy', 'publicAccessBlock', 'encryption', 'versioning'] as const;
type Subresource = (typeof SUBRESOURCES)[number];

/** Per bucket name: its account and its resources by type. */
type Buckets = Map<string, { account: string; parts: Map<string, Attrs> }>;

export type S3Error = (status: number, code: string, message: string, resource: string) => void;

const element = (name: string, body: string) => `<${name}>${body}</${name}>`;
const root = (name: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${name} xmlns="${S3_NS}">${body}</${name}>`;
const sendXml = (res: ServerResponse, body: string) => send(res, 200, { 'content-type': 'application/xml' }, body);

/** Each subresource: the estate type it reads, and its answer (or the error of a bucket without one). */
const ANSWERS: Record<
  Subresource,
  { type: string; absent?: [code: string, message: string]; xml?: (a: Attrs) => string }
> = {
  location: {
    type: 'AWS::S3::Bucket',
    // us-east-1 answers with an empty constraint.
    xml: (a) => root('LocationConstraint', a.Region === 'us-east-1' ? '' : xml(String(a.Region))),
  },
  tagging: {
    type: 'AWS::S3::Bucket',
    absent: ['NoSuchTagSet', 'The TagSet does not exist'],
    xml: (a) => {
      const tags = (a.Tags as { Key: string; Value: string }[]) ?? [];
      if (tags.length === 0) return '';
      return root(
        'Tagging',
        element(
          'TagSet',
          tags.map((t) => element('Tag', element('Key', xml(t.Key)) + element('Value', xml(t.Value)))).join(''),
        ),
      );
    },
  },
  policy: { type: 'AWS::S3::BucketPolicy', absent: ['NoSuchBucketPolicy', 'The bucket policy does not exist'] },
  publicAccessBlock: {
    type: 'AWS::S3::BucketPublicAccessBlock',
    absent: ['NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'],
    xml: (a) =>
      root(
        'PublicAccessBlockConfiguration',
        ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets']
          .map((k) => element(k, String(a[k] === true)))
          .join(''),
      ),
  },
  encryption: {
    type: 'AWS::S3::BucketEncryption',
    absent: [
      'ServerSideEncryptionConfigurationNotFoundError',
      'The server side encryption configuration was not found',
    ],
    xml: (a) =>
      root(
        'ServerSideEncryptionConfiguration',
        (a.Rules as Attrs[])
          .map((r) => {
            const d = (r.ApplyServerSideEncryptionByDefault ?? {}) as Attrs;
            const byDefault =
              element('SSEAlgorithm', xml(String(d.SSEAlgorithm))) +
              (d.KMSMasterKeyID ? element('KMSMasterKeyID', xml(String(d.KMSMasterKeyID))) : '');
            const bucketKey =
              r.BucketKeyEnabled === undefined ? '' : element('BucketKeyEnabled', String(r.BucketKeyEnabled));
            return element('Rule', element('ApplyServerSideEncryptionByDefault', byDefault) + bucketKey);
          })
          .join(''),
      ),
  },
  versioning: {
    type: 'AWS::S3::BucketVersioning',
    // A bucket never versioned answers with an empty configuration, not an error.
    xml: (a) =>
      root(
        'VersioningConfiguration',
        (a.Status ? element('Status', xml(String(a.Status))) : '') +
          (a.MFADelete ? element('MfaDelete', xml(String(a.MFADelete))) : ''),
      ),
  },
};

function indexBuckets(resources: readonly DiscoveredResource[]): Buckets {
  const buckets: Buckets = new Map();
  for (const r of resources) {
    if (r.provider !== 'aws' || !r.type.startsWith('AWS::S3::')) continue;
    const b = buckets.get(r.id) ?? { account: r.account, parts: new Map() };
    buckets.set(r.id, b);
    b.parts.set(r.type, r.attributes);
  }
  return buckets;
}

/** Which bucket-level call a request is, if any: `GET /` or `GET /<bucket>?<subresource>`. */
function callOf(url: URL): { bucket?: string; subresource?: Subresource } | undefined {
  const [, bucket = '', ...key] = url.pathname.split('/');
  if (bucket === '' && key.length === 0) return {};
  if (key.join('/') !== '') return undefined;
  const subresource = SUBRESOURCES.find((s) => url.searchParams.has(s));
  return subresource ? { bucket, subresource } : undefined;
}

export function createS3Control(resources: readonly DiscoveredResource[]) {
  const buckets = indexBuckets(resources);

  function listBuckets(account: string | undefined, params: URLSearchParams, res: ServerResponse): void {
    const max = Math.min(MAX_BUCKETS, Number(params.get('max-buckets') ?? MAX_BUCKETS));
    const own = [...buckets.entries()]
      .filter(([, b]) => b.account === account && b.parts.has('AWS::S3::Bucket'))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const { items, next } = page(own, '', decodeMarker(params.get('continuation-token')), max);
    const listed = items
      .map(([, b]) => {
        const a = b.parts.get('AWS::S3::Bucket')!;
        return element(
          'Bucket',
          element('Name', xml(String(a.Name))) +
            element('CreationDate', xml(String(a.CreationDate))) +
            element('BucketRegion', xml(String(a.Region))),
        );
      })
      .join('');
    const body =
      element('Owner', element('ID', xml(account ?? ''))) +
      element('Buckets', listed) +
      (next !== undefined ? element('ContinuationToken', encodeMarker(next)) : '');
    sendXml(res, root('ListAllMyBucketsResult', body));
  }

  /** Answers the request when it is a bucket-level call of the estate's buckets; false otherwise. */
  return function serve(
    req: IncomingMessage,
    res: ServerResponse,
    account: string | undefined,
    error: S3Error,
  ): boolean {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const call = callOf(url);
    if (!call || req.method !== 'GET') return false;
    if (call.bucket === undefined) {
      listBuckets(account, url.searchParams, res);
      return true;
    }
    const bucket = buckets.get(call.bucket);
    if (!bucket) return false;
    const resource = `/${call.bucket}`;
    if (bucket.account !== account) {
      error(403, 'AccessDenied', 'Access Denied', resource);
      return true;
    }
    const answer = ANSWERS[call.subresource!];
    const attrs = bucket.parts.get(answer.type);
    const body = attrs && (answer.xml ? answer.xml(attrs) : String(attrs.Policy));
    if (!body) {
      const [code, message] = answer.absent ?? ['NoSuchBucket', 'The specified bucket does not exist'];
      error(404, code, message, resource);
      return true;
    }
    send(res, 200, { 'content-type': answer.xml ? 'application/xml' : 'application/json' }, body);
    return true;
  };
}

export type S3Control = ReturnType<typeof createS3Control>;
