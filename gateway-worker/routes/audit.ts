import { createRoute, z } from '@hono/zod-openapi';
import { AuditPage } from '../../contract/audit.js';
import { BOOTSTRAP_ACTOR } from '../../contract/tokens.js';
import { storeFor } from '../../storage/index.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { tenantOf } from '../principal.js';

const listRoute = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['tokens'],
  summary:
    "The audit log of mutating calls, newest first (admin only): a tenant's admin reads its tenant's tokens' entries, the bootstrap token every entry",
  security: bearerSecurity,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().optional(),
    }),
  },
  responses: { 200: json(AuditPage, 'A page of the audit log'), ...errorResponses },
});

export const auditRoutes = createRouter().openapi(listRoute, async (c) => {
  const q = c.req.valid('query');
  const before = q.cursor ? decodeCursor(q.cursor, 1)[0] : undefined;
  const principal = c.get('principal');
  // A tenant's admin reads its tenant's entries; the bootstrap token, the deployment's, reads all.
  const tenant = principal.actor === BOOTSTRAP_ACTOR ? undefined : tenantOf(principal);
  const rows = await storeFor(c.env).listAudit({ limit: q.limit + 1, before, tenant });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return c.json({ entries: page, next_cursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null }, 200);
});
