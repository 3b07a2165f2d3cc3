import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StateBackendObjects, StoredObject } from './objects.js';
import { page, send, sortedEntries, xml } from './wire.js';

const API_VERSION = '2025-11-05';
const DEFAULT_MAX_RESULTS = 5000;

/** Blob Storage calls carry the service's version header; ARM and the others do not reach this listener. */
export const isBlobRequest = (req: IncomingMessage) => typeof req.headers['x-ms-version'] === 'string';

const serviceHeaders = () => ({ 'x-ms-request-id': randomUUID(), 'x-ms-version': API_VERSION });

function blobError(res: ServerResponse, status: number, code: string, message: string) {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`;
  send(res, status, { 'content-type': 'application/xml', 'x-ms-error-code': code, ...serviceHeaders() }, body);
}

const etagOf = (o: StoredObject) => `"0x8D${o.md5.toString('hex').slice(0, 13).toUpperCase()}"`;

/** `bytes=a-b` of x-ms-range or Range, clamped to the blob; undefined for the whole blob. */
function rangeOf(req: IncomingMessage, size: number): { start: number; end: number } | undefined {
  const header = req.headers['x-ms-range'] ?? req.headers.range;
  const match = typeof header === 'string' ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Math.min(size - 1, match[2] ? Number(match[2]) : size - 1);
  return { start, end };
}

/**
 * Blob Storage for azurerm state containers, addressed as the local emulators do
 * (`/<account>/<container>[/<blob>]`): List Blobs (prefix, maxresults, marker) and Get Blob with
 * its ETag and ranges. A request must be signed with the account's shared key
 * (`SharedKey <account>:…`, the form a connection string's key gives); the signature itself is
 * not recomputed.
 */
export function serveBlob(objects: StateBackendObjects, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://blob.local');
  const [, accountName = '', containerName = '', ...blobParts] = url.pathname.split('/');
  const account = objects.azure.get(accountName);
  if (!account) return blobError(res, 404, 'ResourceNotFound', 'The specified resource does not exist.');
  if (!(req.headers.authorization ?? '').startsWith(`SharedKey ${accountName}:`)) {
    return blobError(res, 403, 'AuthenticationFailed', 'Server failed to authenticate the request.');
  }
  const container = account.containers.get(containerName);
  if (!container) return blobError(res, 404, 'ContainerNotFound', 'The specified container does not exist.');
  const blobName = blobParts.map(decodeURIComponent).join('/');
  if (blobName === '') {
    if (url.searchParams.get('comp') !== 'list') return blobError(res, 400, 'InvalidQueryParameterValue', 'comp');
    return listBlobs(url, accountName, containerName, container, res);
  }
  const blob = container.get(blobName);
  if (!blob) return blobError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
  const range = rangeOf(req, blob.bytes.length);
  const headers = {
    'content-type': 'application/json',
    etag: etagOf(blob),
    'last-modified': blob.modified.toUTCString(),
    'x-ms-creation-time': blob.modified.toUTCString(),
    'x-ms-blob-type': 'BlockBlob',
    'accept-ranges': 'bytes',
    ...serviceHeaders(),
  };
  if (!range) return send(res, 200, { ...headers, 'content-md5': blob.md5.toString('base64') }, blob.bytes);
  const bytes = blob.bytes.subarray(range.start, range.end + 1);
  send(res, 206, { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${blob.bytes.length}` }, bytes);
}

function listBlobs(
  url: URL,
  accountName: string,
  containerName: string,
  container: Map<string, StoredObject>,
  res: ServerResponse,
) {
  const prefix = url.searchParams.get('prefix') ?? '';
  const max = Number(url.searchParams.get('maxresults') ?? DEFAULT_MAX_RESULTS);
  const marker = url.searchParams.get('marker') || undefined;
  const { items, next } = page(sortedEntries(container), prefix, marker, max);
  const blobs = items
    .map(
      ([name, o]) =>
        `<Blob><Name>${xml(name)}</Name><Properties><Creation-Time>${o.modified.toUTCString()}</Creation-Time>` +
        `<Last-Modified>${o.modified.toUTCString()}</Last-Modified><Etag>${xml(etagOf(o))}</Etag>` +
        `<Content-Length>${o.bytes.length}</Content-Length><Content-Type>application/json</Content-Type>` +
        `<Content-MD5>${o.md5.toString('base64')}</Content-MD5><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier>` +
        '<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted>' +
        '</Properties></Blob>',
    )
    .join('');
  const body =
    `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://${xml(url.host)}/${xml(accountName)}/" ` +
    `ContainerName="${xml(containerName)}"><Prefix>${xml(prefix)}</Prefix>` +
    (marker ? `<Marker>${xml(marker)}</Marker>` : '') +
    `<MaxResults>${max}</MaxResults><Blobs>${blobs}</Blobs><NextMarker>${next === undefined ? '' : xml(next)}</NextMarker>` +
    '</EnumerationResults>';
  send(res, 200, { 'content-type': 'application/xml', ...serviceHeaders() }, body);
}
