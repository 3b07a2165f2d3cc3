import { createRoute, z } from '@hono/zod-openapi';
import { storeFor } from '../../storage/index.js';
import { createRouter, json } from '../openapi.js';

const Health = z.object({
  status: z.literal('ok'),
  storage: z.string().describe('the store in use: d1 or postgres'),
  time: z.string(),
});

/** What an unauthenticated caller learns of a storage failure: that it happened, nothing more. */
const Degraded = z.object({
  status: z.literal('degraded'),
  storage: z.literal('unreachable'),
  time: z.string(),
});

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Liveness and storage reachability (no authentication)',
  responses: {
    200: json(Health, 'Healthy'),
    503: json(Degraded, 'Storage unreachable (the cause is logged, not returned)'),
  },
});

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  const time = new Date().toISOString();
  const store = storeFor(c.env);
  try {
    await store.ping();
    return c.json({ status: 'ok' as const, storage: store.kind, time }, 200);
  } catch (err) {
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'health check: storage unreachable',
        storage: store.kind,
        error: String(err),
      }),
    );
    return c.json({ status: 'degraded' as const, storage: 'unreachable' as const, time }, 503);
  }
});
