import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveredResource } from '../../contract/resource.js';
import type { EmulatorContext } from '../types.js';
import { isBlobRequest, serveBlob } from './azure-blob.js';
import { isGcsRequest, serveGcs } from './gcs.js';
import { isHttpBackendRequest, serveHttpBackend } from './http-backend.js';
import type { StateBackendObjects } from './objects.js';
import { isS3Request, serveS3 } from './s3.js';
import { createS3Control } from './s3-control.js';
import { isTfcRequest, serveTfc } from './tfc.js';
import { sendJson } from './wire.js';

/**
 * The Terraform state backends on one listener, each on its real wire protocol: S3 (SigV4-signed
 * path-style requests), Cloud Storage's JSON API, Blob Storage, Terraform Cloud's API and the http
 * backend; S3 also answers for the estate's buckets (ListBuckets and their configuration). Calls
 * count in the emulator's stats under `state:<backend>`.
 */
export function createStateBackendHandler(
  objects: StateBackendObjects,
  ctx: Pick<EmulatorContext, 'delay'>,
  estate: readonly DiscoveredResource[] = [],
) {
  const s3Control = createS3Control(estate);
  return async (req: IncomingMessage, _body: Buffer, res: ServerResponse): Promise<void> => {
    await ctx.delay();
    const path = (req.url ?? '/').split('?')[0]!;
    if (isGcsRequest(path)) return serveGcs(objects, req, res);
    if (isTfcRequest(path)) return serveTfc(objects, req, res);
    if (isHttpBackendRequest(path)) return serveHttpBackend(objects, req, res);
    if (isS3Request(req)) return serveS3(objects, req, res, s3Control);
    if (isBlobRequest(req)) return serveBlob(objects, req, res);
    sendJson(res, 404, { error: { code: 'NotFound', message: `no state backend serves ${req.method} ${path}` } });
  };
}
