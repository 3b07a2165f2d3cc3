import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { ExportDocument, looksLikeExport } from '../../contract/export.js';
import { ImportJob } from '../../contract/imports.js';
import { ImportResult, StoredState, WorkspaceName } from '../../contract/states.js';
import {
  decodeStateText,
  type ParsedState,
  readTerraformState,
  type SensitiveKey,
  StateParseError,
  type StateReadReport,
} from '../../engine/index.js';
import { storeFor } from '../../storage/index.js';
import { ApiError, validationError } from '../errors.js';
import { acceptStreamedImport, streamsImport } from '../imports/accept.js';
import { activeByName, refusalOf, refuseConflicts, stateRefusal } from '../imports/refusals.js';
import { restoreExport } from '../inventory-export.js';
import { traceparentOf } from '../middleware/trace.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';
import { tenantOf } from '../principal.js';
import { sensitiveKeyOf } from '../sensitive-key.js';

const importRoute = createRoute({
  method: 'post',
  path: '/import',
  tags: ['states'],
  summary: 'Import Terraform state files or a DriftMgr export',
  description:
    'Multipart form with one or more `file` fields (`curl -F file=@terraform.tfstate`), or the state itself as a JSON body. ' +
    'A state replaces the active one of the same workspace and name in one step when it is a newer serial of the same lineage; ' +
    'another lineage or an older serial answers 409 unless `replace=true`. A state that fails to parse imports nothing. ' +
    '`name` names a single uploaded state (default: the file name). ' +
    'A body larger than IMPORT_STREAM_THRESHOLD_BYTES, or sent without a Content-Length (streamed), is kept as it arrives ' +
    'and read by the queue consumer a resource at a time, in bounded memory, whatever its size: the answer is 202 with an ' +
    'import id, and `GET /api/v1/imports/{import_id}` tells its status and, once done, the answer or error described here ' +
    '(Terraform states only; a DriftMgr export is imported synchronously).',
  security: bearerSecurity,
  request: {
    query: z.object({
      workspace: WorkspaceName.default('default'),
      name: z.string().min(1).max(300).optional(),
      replace: z.enum(['true', 'false']).default('false'),
    }),
    body: {
      content: {
        'multipart/form-data': { schema: z.object({ file: z.any() }) },
        'application/json': { schema: z.object({}).passthrough() },
      },
      required: true,
    },
  },
  responses: {
    201: json(ImportResult, 'The states now active'),
    202: json(ImportJob, 'A large or streamed upload, kept; its import runs in the background'),
    ...errorResponses,
    413: json(ErrorBody, 'The upload is too large'),
    415: json(ErrorBody, 'Neither multipart/form-data nor JSON'),
    409: json(ErrorBody, 'A state of that name with another lineage or a newer serial is active'),
    422: json(ErrorBody, 'Valid JSON but not a Terraform state this version of DriftMgr reads'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/states',
  tags: ['states'],
  summary: 'The active Terraform states',
  security: bearerSecurity,
  responses: { 200: json(z.object({ states: z.array(StoredState) }), 'Active states'), ...errorResponses },
});

export interface Upload {
  name: string;
  bytes: Uint8Array;
}

/** The uploaded files of a multipart form, or the JSON body as one file; `name` names a single upload. */
async function readUploads(req: Request, name: string | undefined): Promise<Upload[]> {
  const type = req.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const files = (await req.formData()).getAll('file').filter((f): f is File => typeof f !== 'string');
    if (files.length === 0)
      throw new ApiError(400, ErrorCode.badRequest, 'file: no file field in the form (use -F file=@terraform.tfstate)');
    if (name !== undefined && files.length > 1) {
      throw new ApiError(
        400,
        ErrorCode.badRequest,
        `name: names one state, but ${files.length} files were sent; import them one at a time`,
      );
    }
    return Promise.all(
      files.map(async (f) => ({
        name: name ?? (f.name || 'terraform.tfstate'),
        bytes: new Uint8Array(await f.arrayBuffer()),
      })),
    );
  }
  if (type.startsWith('application/json'))
    return [{ name: name ?? 'terraform.tfstate', bytes: new Uint8Array(await req.arrayBuffer()) }];
  throw new ApiError(
    415,
    ErrorCode.badRequest,
    'send multipart/form-data with a file field, or the state as application/json',
  );
}

type Classified = { export: ExportDocument } | { state: ParsedState; report: StateReadReport };

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * An upload is a DriftMgr export or a Terraform state; anything else is refused with the reason:
 * 400 for what is not readable JSON (empty, another encoding, a syntax error), 422 for JSON that
 * is not a state Terraform would load.
 */
export function classify(upload: Upload, sensitiveKey: SensitiveKey): Classified {
  try {
    const text = decodeStateText(upload.bytes, upload.name);
    const doc = jsonOrUndefined(text);
    if (looksLikeExport(doc)) {
      const parsed = ExportDocument.safeParse(doc);
      if (!parsed.success) throw validationError(parsed.error, upload.name);
      return { export: parsed.data };
    }
    return readTerraformState(doc ?? text, upload.name, { sensitiveKey });
  } catch (err) {
    throw err instanceof StateParseError ? stateRefusal(err) : err;
  }
}

export { replacementConflict } from '../imports/refusals.js';

export const importRoutes = createRouter();

// The body is a state file read by parseUpload, not a request schema: the route is
// registered in the OpenAPI document and handled as a plain route.
importRoutes.openAPIRegistry.registerPath(importRoute);

const ImportQuery = importRoute.request.query;

importRoutes.openapi(listRoute, async (c) =>
  c.json({ states: await storeFor(c.env).listActiveStates(tenantOf(c.get('principal'))) }, 200),
);
importRoutes.post('/import', async (c) => {
  const query = ImportQuery.safeParse(c.req.query());
  if (!query.success) throw validationError(query.error, 'query');
  const { workspace, name, replace } = query.data;
  const tenant = tenantOf(c.get('principal'));
  if (streamsImport(c.req.raw, c.env)) {
    const job = await acceptStreamedImport(c.env, c.req.raw, {
      workspace,
      name,
      replace: replace === 'true',
      traceparent: traceparentOf(c),
      tenant,
    });
    return c.json(job, 202, { location: `/api/v1/imports/${job.import_id}` });
  }
  // Every upload is checked before anything is written: one bad file imports nothing.
  const sensitiveKey = sensitiveKeyOf(c.env);
  const uploads = (await readUploads(c.req.raw, name)).map((upload) => classify(upload, sensitiveKey));
  const read = uploads.flatMap((u) => ('state' in u ? [u] : []));
  const names = read.map((r) => r.state.source);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new ApiError(400, ErrorCode.badRequest, `file: two files named ${repeated}`);
  const store = storeFor(c.env);
  if (read.length > 0) {
    const active = activeByName(await store.listActiveStates(tenant), workspace);
    refuseConflicts(
      read.map((r) => r.state),
      active,
      replace === 'true',
    );
  }
  try {
    const restored = [];
    for (const u of uploads)
      if ('export' in u) restored.push(await restoreExport(store, tenant, u.export, sensitiveKey));
    const saved =
      read.length > 0
        ? await store.saveStates(
            tenant,
            workspace,
            read.map((r) => r.state),
          )
        : [];
    const states = saved.map((s, i) => {
      const { not_kept, warnings, attributes_not_stored, values_stored_as_digests } = read[i]!.report;
      return { ...s, not_kept, warnings, attributes_not_stored, values_stored_as_digests };
    });
    return c.json({ workspace, states, restored }, 201);
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
});
