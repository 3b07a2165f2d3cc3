import { z } from 'zod';

/** A workspace states are imported into. */
export const WorkspaceName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (at most 100)');

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

/** A state just imported, with what reading it did not keep: nothing is dropped without a line here. */
export const ImportedState = StoredState.extend({
  not_kept: z
    .array(z.object({ address: z.string(), reason: z.string() }))
    .describe('instances the state lists that were not kept, and why'),
  warnings: z.array(z.string()).describe('parts of the state understood only in part'),
  attributes_not_stored: z
    .number()
    .int()
    .describe('attribute values no analysis reads, left out of the stored instances (nothing is lost to analysis)'),
  values_stored_as_digests: z
    .number()
    .int()
    .describe('values too large to store, kept as keyed digests: drift on them is found, their content not shown'),
});
export type ImportedState = z.infer<typeof ImportedState>;

/** The answer of `POST /api/v1/import`. */
export const ImportResult = z.object({
  workspace: z.string(),
  states: z.array(ImportedState),
  restored: z
    .array(z.object({ resources: z.number(), states: z.number(), analyses: z.number() }))
    .describe('DriftMgr exports restored'),
});
