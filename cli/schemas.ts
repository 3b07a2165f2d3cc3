import { z } from 'zod';

// Answers the gateway gives that contract/ has no schema for yet (their zod lives in
// gateway-worker/routes); only the fields the CLI reads are checked, the rest pass through.

export const DriftItemView = z.looseObject({
  kind: z.enum(['changed', 'missing', 'unmanaged']),
  address: z.string(),
  id: z.string(),
  severity: z.string(),
  score: z.number(),
  changes: z.array(z.looseObject({ path: z.string(), expected: z.unknown(), actual: z.unknown() })),
});
export type DriftItemView = z.infer<typeof DriftItemView>;

export const DriftPage = z.looseObject({
  job_id: z.string(),
  summary: z.record(z.string(), z.unknown()),
  items: z.array(DriftItemView),
  next_cursor: z.string().nullable(),
});
export type DriftPage = z.infer<typeof DriftPage>;

export const StoredState = z.looseObject({
  workspace: z.string(),
  name: z.string(),
  version: z.number(),
  serial: z.number().nullable(),
  instances: z.number(),
  data_sources_skipped: z.number(),
});

export const ImportResult = z.looseObject({ workspace: z.string(), states: z.array(StoredState) });
