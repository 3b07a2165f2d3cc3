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
