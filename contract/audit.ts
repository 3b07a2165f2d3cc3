import { z } from 'zod';

/**
 * One mutating API call as the audit log keeps it: who (a token id, or `bootstrap`), what
 * (method, route pattern, the id it acted on), when, and the status it was answered with.
 * Never a body, a query string or a secret.
 */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  method: z.string(),
  route: z.string(),
  target: z.string().nullable(),
  status: z.number().int(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Newest first; `next_cursor` reads the next page (null on the last). */
export const AuditPage = z.object({ entries: z.array(AuditEntry), next_cursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
