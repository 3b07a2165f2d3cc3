import { z } from 'zod';
import { DiscoveredResource, Provider } from './resource.js';
import { StateMeta } from './states.js';

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
    StateMeta.extend({ instances: z.array(z.record(z.string(), z.unknown())) }),
  ),
  analyses: z.array(
    z.object({
      job_id: z.string(),
      provider: Provider,
      completed_at: z.string(),
      summary: z.record(z.string(), z.unknown()),
      duplicates: z.array(z.unknown()),
      items: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});
export type ExportDocument = z.infer<typeof ExportDocument>;

/** True for a JSON value that claims to be a DriftMgr export (then it must parse as one). */
export function looksLikeExport(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'driftmgr-export';
}
