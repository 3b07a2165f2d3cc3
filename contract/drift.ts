import { z } from 'zod';

/** A drift item as the engine reports it (engine/types.ts) and the API returns it. */
export const DriftItem = z.object({
  kind: z.enum(['changed', 'missing', 'unmanaged']),
  address: z.string(),
  tf_type: z.string(),
  cloud_type: z.string(),
  provider: z.string(),
  account: z.string().optional(),
  region: z.string().optional(),
  id: z.string(),
  resource_key: z.string().optional(),
  changes: z.array(z.object({ path: z.string(), expected: z.unknown(), actual: z.unknown(), noise_rule: z.string().optional() })),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  score: z.number(),
  rules: z.array(z.object({ id: z.string(), title: z.string(), severity: z.string(), score: z.number(), path: z.string().optional() })),
  cost: z.object({ monthly_usd: z.number(), basis: z.string(), estimate: z.literal(true) }).nullable(),
});

/** One page of `GET /api/v1/drift`. */
export const DriftPage = z.object({
  job_id: z.string(),
  summary: z.record(z.string(), z.unknown()),
  items: z.array(DriftItem),
  next_cursor: z.string().nullable(),
});
export type DriftPage = z.infer<typeof DriftPage>;
