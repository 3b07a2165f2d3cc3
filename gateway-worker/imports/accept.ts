import { newImportId } from '../../contract/ids.js';
import type { ImportJob } from '../../contract/imports.js';
import type { ImportMessage } from '../../contract/queue.js';
import { storeFor } from '../../storage/index.js';
import { deleteUploads, storeUploads } from './upload.js';

/** Bodies up to this size are imported while the request waits, unless the deployment says otherwise. */
const DEFAULT_THRESHOLD_BYTES = 8_000_000;

function thresholdOf(env: Env): number {
  const configured = Number.parseInt(String(env.IMPORT_STREAM_THRESHOLD_BYTES ?? ''), 10);
  return Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_THRESHOLD_BYTES;
}

/**
 * Whether an import request is streamed into the upload bucket and read in the background: a
 * body over the threshold, or one of unknown length (sent streamed), which could be any size.
 */
export function streamsImport(req: Request, env: Env): boolean {
  const declared = req.headers.get('content-length');
  return declared === null || Number(declared) > thresholdOf(env);
}

export interface StreamedImportRequest {
  workspace: string;
  name: string | undefined;
  replace: boolean;
  traceparent: string;
  /** The tenant the import and its states belong to. */
  tenant: string;
}

/** Keeps the request's files in the bucket as they arrive and queues their import; the import as recorded. */
export async function acceptStreamedImport(env: Env, req: Request, r: StreamedImportRequest): Promise<ImportJob> {
  const importId = newImportId();
  const files = await storeUploads(req, r.name, env.STATE_UPLOADS, importId);
  const at = new Date().toISOString();
  const job: ImportJob = {
    import_id: importId,
    status: 'queued',
    workspace: r.workspace,
    replace: r.replace,
    files,
    created_at: at,
    updated_at: at,
    finished_at: null,
    result: null,
    error: null,
  };
  try {
    await storeFor(env).createImport(r.tenant, job);
    const message: ImportMessage = {
      kind: 'import',
      import_id: importId,
      tenant_id: r.tenant,
      traceparent: r.traceparent,
    };
    await env.RESULTS_QUEUE.send(message);
  } catch (err) {
    await deleteUploads(env.STATE_UPLOADS, importId, files.length);
    throw err;
  }
  return job;
}
