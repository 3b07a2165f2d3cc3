import { z } from 'zod';

/** What DriftMgr keeps about an imported Terraform state besides its resources. */
export const StateMeta = z.object({
  workspace: z.string(),
  name: z.string(),
  version: z.number().int(),
  terraform_version: z.string().nullable(),
  serial: z.number().int().nullable(),
  lineage: z.string().nullable(),
  data_sources_skipped: z.number().int(),
});

/** An active state as the API lists it. */
export const StoredState = StateMeta.extend({
  state_id: z.string(),
  instances: z.number().int(),
  imported_at: z.string(),
});
export type StoredState = z.infer<typeof StoredState>;

/** The answer of `POST /api/v1/import`. */
export const ImportResult = z.object({
  workspace: z.string(),
  states: z.array(StoredState),
  restored: z.array(z.object({ resources: z.number(), states: z.number(), analyses: z.number() })).describe('DriftMgr exports restored'),
});
