import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32c } from './crc32c.js';
import type { StateBackendObjects, StoredObject } from './objects.js';
import { decodeMarker, encodeMarker, page, send, sendJson, sortedEntries } from './wire.js';

const LIST = /^\/storage\/v1\/b\/([^/]+)\/o\/?$/;
const OBJECT = /^\/(?:download\/)?storage\/v1\/b\/([^/]+)\/o\/(.+)$/;
const DEFAULT_MAX_RESULTS = 1000;

export const isGcsRequest = (path: string) =>
  path.startsWith('/storage/v1/') || path.startsWith('/download/storage/v1/');

function gcsError(res: ServerResponse, status: number, message: string) {
  sendJson(res, status, {
    error: { code: status, message, errors: [{ message, domain: 'global', reason: 'notFound' }] },
  });
}

function resource(bucket: string, name: string, o: StoredObject) {
  return {
    kind: 'storage#object',
    id: `${bucket}/${name}/${o.generation}`,
    name,
    bucket,
    generation: String(o.generation),
    metageneration: '1',
    contentType: 'application/json',
    storageClass: 'STANDARD',
    size: String(o.bytes.length),
    md5Hash: o.md5.toString('base64'),
    crc32c: crc32c(o.bytes).toString('base64'),
    etag: Buffer.from(`${o.generation}`).toString('base64'),
    timeCreated: o.modified.toISOString(),
    updated: o.modified.toISOString(),
  };
}

/**
 * Cloud Storage's JSON API for state buckets: objects.list (prefix, maxResults, pageToken) and
 * objects.get, as metadata or with `alt=media` as the bytes with their x-goog-hash. Requests
 * must carry a bearer token.
 */
export function serveGcs(objects: StateBackendObjects, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://gcs.local');
  if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    return sendJson(res, 401, {
      error: { code: 401, message: 'Anonymous caller does not have storage.objects.list access.' },
    });
  }
  const list = LIST.exec(url.pathname);
  const one = list ? null : OBJECT.exec(url.pathname);
  const bucketName = decodeURIComponent((list ?? one)?.[1] ?? '');
  const bucket = objects.gcs.get(bucketName);
  if (!bucket) return gcsError(res, 404, 'The specified bucket does not exist.');
  if (list) {
    const max = Number(url.searchParams.get('maxResults') ?? DEFAULT_MAX_RESULTS);
    const prefix = url.searchParams.get('prefix') ?? '';
    const { items, next } = page(sortedEntries(bucket), prefix, decodeMarker(url.searchParams.get('pageToken')), max);
    return sendJson(res, 200, {
      kind: 'storage#objects',
      ...(items.length > 0 ? { items: items.map(([name, o]) => resource(bucketName, name, o)) } : {}),
      ...(next !== undefined ? { nextPageToken: encodeMarker(next) } : {}),
    });
  }
  const name = decodeURIComponent(one?.[2] ?? '');
  const object = bucket.get(name);
  if (!object) return gcsError(res, 404, `No such object: ${bucketName}/${name}`);
  if (url.searchParams.get('alt') !== 'media') return sendJson(res, 200, resource(bucketName, name, object));
  send(
    res,
    200,
    {
      'content-type': 'application/json',
      'x-goog-hash': `crc32c=${crc32c(object.bytes).toString('base64')},md5=${object.md5.toString('base64')}`,
      'x-goog-generation': String(object.generation),
      'x-goog-stored-content-length': String(object.bytes.length),
      etag: `"${object.md5.toString('hex')}"`,
    },
    object.bytes,
  );
}
