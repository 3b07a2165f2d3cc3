import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { ExportDocument, looksLikeExport } from '../../contract/export.js';
import { ImportResult, StoredState } from '../../contract/states.js';
import { StateParseError, parseTerraformState, type ParsedState } from '../../engine/index.js';
import { ApiError, validationError } from '../errors.js';
import { restoreExport } from '../inventory-export.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';
import { RowTooLargeError } from '../../storage/d1/batching.js';
import { storeFor } from '../../storage/index.js';

/** Terraform states beyond this are refused whole rather than imported in part. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

const WorkspaceName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (at most 100)');

const importRoute = createRoute({
  method: 'post',
  path: '/import',
  tags: ['states'],
  summary: 'Import Terraform state files or a DriftMgr export',
  description:
    'Multipart form with one or more `file` fields (`curl -F file=@terraform.tfstate`), or the state itself as a JSON body. ' +
    'A state replaces the previous one of the same workspace and name in one step; a state that fails to parse imports nothing.',
  security: bearerSecurity,
  request: {
    query: z.object({ workspace: WorkspaceName.default('default'), name: z.string().min(1).max(300).optional() }),
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
    ...errorResponses,
    413: json(ErrorBody, 'The upload is too large'),
    415: json(ErrorBody, 'Neither multipart/form-data nor JSON'),
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

interface Upload {
  name: string;
  text: string;
}

/** The uploaded files of a multipart form, or the JSON body as one file. */
async function readUploads(req: Request, name: string | undefined): Promise<Upload[]> {
  const type = req.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const files = (await req.formData()).getAll('file').filter((f): f is File => typeof f !== 'string');
    if (files.length === 0) throw new ApiError(400, ErrorCode.badRequest, 'file: no file field in the form (use -F file=@terraform.tfstate)');
    return Promise.all(files.map(async (f) => ({ name: f.name || 'terraform.tfstate', text: await f.text() })));
  }
  if (type.startsWith('application/json')) return [{ name: name ?? 'terraform.tfstate', text: await req.text() }];
  throw new ApiError(415, ErrorCode.badRequest, 'send multipart/form-data with a file field, or the state as application/json');
}

/** An upload is a DriftMgr export or a Terraform state; anything else is refused with the reason. */
function classify(upload: Upload): { export: ExportDocument } | { state: ParsedState } {
  let value: unknown;
  try {
    value = JSON.parse(upload.text);
  } catch {
    value = undefined;
  }
  if (looksLikeExport(value)) {
    const doc = ExportDocument.safeParse(value);
    if (!doc.success) throw validationError(doc.error, upload.name);
    return { export: doc.data };
  }
  return { state: parseOrExplain(upload.text, upload.name) };
}

function parseOrExplain(text: string, source: string): ParsedState {
  try {
    return parseTerraformState(text, source);
  } catch (err) {
    if (err instanceof StateParseError) {
      const notJson = err.code === 'not_json';
      throw new ApiError(notJson ? 400 : 422, notJson ? ErrorCode.badRequest : ErrorCode.unprocessable, err.message, {
        source: err.source,
        reason: err.code,
      });
    }
    throw err;
  }
}

export const importRoutes = createRouter();

importRoutes.use(
  '/import',
  bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: () => {
      throw new ApiError(413, ErrorCode.payloadTooLarge, `an import may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
    },
  }),
);

// The body is a state file read by parseUpload, not a request schema: the route is
// registered in the OpenAPI document and handled as a plain route.
importRoutes.openAPIRegistry.registerPath(importRoute);

const ImportQuery = importRoute.request.query;

importRoutes.openapi(listRoute, async (c) => c.json({ states: await storeFor(c.env).listActiveStates() }, 200));
importRoutes.post('/import', async (c) => {
  const query = ImportQuery.safeParse(c.req.query());
  if (!query.success) throw validationError(query.error, 'query');
  const { workspace, name } = query.data;
  // Every upload is checked before anything is written: one bad file imports nothing.
  const uploads = (await readUploads(c.req.raw, name)).map(classify);
  const parsed = uploads.flatMap((u) => ('state' in u ? [u.state] : []));
  const names = parsed.map((p) => p.source);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new ApiError(400, ErrorCode.badRequest, `file: two files named ${repeated}`);
  const store = storeFor(c.env);
  try {
    const restored = [];
    for (const u of uploads) if ('export' in u) restored.push(await restoreExport(store, u.export));
    const states = parsed.length > 0 ? await store.saveStates(workspace, parsed) : [];
    return c.json({ workspace, states, restored }, 201);
  } catch (err) {
    if (err instanceof RowTooLargeError) throw new ApiError(413, ErrorCode.payloadTooLarge, err.message);
    throw err;
  }
});
