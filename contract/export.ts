import { z } from 'zod';
import { DriftItem, DriftSummary, DuplicateFinding } from './drift.js';
import { DiscoveredResource, Provider } from './resource.js';
import { StateMeta, WorkspaceName } from './states.js';

/**
 * One managed instance of an exported state, as the engine keeps it. Every field is checked:
 * an export is untrusted input, and what it holds ends up in reports and codify output.
 */
const ExportedInstance = z.object({
  source: z.string(),
  address: z.string(),
  module: z.string().optional(),
  tfType: z.string(),
  name: z.string(),
  provider: z.string(),
  indexKey: z.union([z.string(), z.number()]).optional(),
  tainted: z.boolean(),
  deposed: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()),
});

/**
 * A whole DriftMgr inventory as `driftmgr export` writes it and `POST /api/v1/import` reads
 * it back: resources with their sightings, the active Terraform states (sensitive values
 * already hashed) and every analysis, so a fresh deployment keeps history and trends.
 */
export const ExportDocument = z.object({
  format: z.literal('driftmgr-export'),
  version: z.literal(1),
  exported_at: z.string(),
  resources: z.array(
    DiscoveredResource.extend({
      resource_key: z.string(),
      first_seen_job: z.string(),
      last_seen_job: z.string(),
      last_seen_at: z.string(),
    }),
  ),
  states: z.array(
    StateMeta.extend({
      workspace: WorkspaceName,
      name: z.string().min(1).max(300),
      instances: z.array(ExportedInstance),
    }),
  ),
  analyses: z.array(
    z.object({
      job_id: z.string().regex(/^job_[0-9a-z]+$/, 'not a job id'),
      provider: Provider,
      completed_at: z.string(),
      summary: DriftSummary,
      duplicates: z.array(DuplicateFinding),
      items: z.array(DriftItem),
    }),
  ),
});
export type ExportDocument = z.infer<typeof ExportDocument>;

/** True for a JSON value that claims to be a DriftMgr export (then it must parse as one). */
export function looksLikeExport(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'driftmgr-export';
}
