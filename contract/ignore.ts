import { z } from 'zod';

/**
 * What the analysis leaves out, set once for the deployment: a driftctl-compatible
 * `.driftignore` (gitignore patterns over `tf_type.id`, `!` to re-include) and attribute-level
 * rules (a type glob, an attribute path glob, and optionally a condition on the resource).
 */
export const IgnoreRules = z.object({
  driftignore: z
    .string()
    .max(64 * 1024)
    .default(''),
  rules: z
    .array(
      z.object({
        type: z.string().min(1).max(200),
        path: z.string().min(1).max(500),
        when: z
          .object({ path: z.string().min(1), equals: z.unknown().optional(), matches: z.string().optional() })
          .optional(),
      }),
    )
    .max(1000)
    .default([]),
});
export type IgnoreRules = z.infer<typeof IgnoreRules>;
