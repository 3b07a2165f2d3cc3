import { z } from 'zod';
import { ErrorBody } from './errors.js';
import { ImportResult } from './states.js';

/**
 * A state import too large to read while the request waits: its files are kept in object
 * storage and read by the queue consumer a resource at a time. `queued` until the consumer
 * takes it, then `importing`; `completed` with the same answer a synchronous import gives, or
 * `failed` with the error it would have answered, the active states untouched.
 */
export const ImportStatus = z.enum(['queued', 'importing', 'completed', 'failed']);
export type ImportStatus = z.infer<typeof ImportStatus>;

/** One uploaded file of an import, as kept until the import ends. */
export const ImportFile = z.object({
  name: z.string().describe("the state's name in its workspace"),
  bytes: z.number().int().describe('size of the upload'),
});
export type ImportFile = z.infer<typeof ImportFile>;

export const ImportJob = z.object({
  import_id: z.string(),
  status: ImportStatus,
  workspace: z.string(),
  replace: z.boolean().describe('whether a state of another lineage or an older serial may replace the active one'),
  files: z.array(ImportFile),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  result: ImportResult.nullable().describe('when completed: the answer a synchronous import gives'),
  error: ErrorBody.shape.error.nullable().describe('when failed: why, as a synchronous import would answer'),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** Where an import's files wait in the upload bucket: `imports/<id>/<index>`. */
export const importObjectKey = (importId: string, index: number) => `imports/${importId}/${index}`;
