import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json } from '../openapi.js';
import { storeFor } from '../../storage/index.js';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  storage: z.string(),
  time: z.string(),
  error: z.string().optional(),
});

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Liveness and storage reachability (no authentication)',
  responses: { 200: json(Health, 'Healthy'), 503: json(Health, 'Storage unreachable') },
});

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  const time = new Date().toISOString();
  const store = storeFor(c.env);
  try {
    await store.ping();
    return c.json({ status: 'ok' as const, storage: store.kind, time }, 200);
  } catch (err) {
    return c.json({ status: 'degraded' as const, storage: store.kind, time, error: String(err) }, 503);
  }
});
