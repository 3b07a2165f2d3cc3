import { ErrorCode } from '../contract/errors.js';
import { errorBody, handleError } from './errors.js';
import { timeRequests } from './metrics/api-latency.js';
import { auditMutations } from './middleware/audit.js';
import { authenticate, authorize } from './middleware/auth.js';
import { limitRequestBodies } from './middleware/body-limit.js';
import { limitAddresses, limitTokens } from './middleware/rate-limit.js';
import { cacheReads } from './middleware/read-cache.js';
import { traceRequests } from './middleware/trace.js';
import { createRouter } from './openapi.js';
import { agentRoutes } from './routes/agents.js';
import { auditRoutes } from './routes/audit.js';
import { discoveryRoutes } from './routes/discovery.js';
import { driftRoutes } from './routes/drift.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes } from './routes/health.js';
import { ignoreRoutes } from './routes/ignore.js';
import { importRoutes } from './routes/import.js';
import { importJobRoutes } from './routes/imports.js';
import { jobRoutes } from './routes/jobs.js';
import { metricsRoutes } from './routes/metrics.js';
import { notificationRoutes } from './routes/notifications.js';
import { resourceTypeRoutes } from './routes/resource-types.js';
import { resourceRoutes } from './routes/resources.js';
import { scheduleRoutes } from './routes/schedules.js';
import { shardRoutes } from './routes/shards.js';
import { stateReadRoutes } from './routes/state-reads.js';
import { stateSourceRoutes } from './routes/state-sources.js';
import { tenantRoutes } from './routes/tenants.js';
import { tokenRoutes } from './routes/tokens.js';
import { trendRoutes } from './routes/trends.js';

const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * The gateway: every HTTP route of the control plane. Who may call each route is the table in
 * access.ts: the caller is authenticated, then its mutating call is audited around the role check.
 */
export function createApp() {
  const app = createRouter();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.use('*', traceRequests);
  app.use('*', timeRequests);
  app.use('*', limitRequestBodies);
  app.use('*', limitAddresses);
  app.use('*', authenticate);
  app.use('*', limitTokens);
  app.use('*', auditMutations);
  app.use('*', authorize);
  app.use('*', cacheReads);
  app
    .route('/', healthRoutes)
    .route('/', metricsRoutes)
    .route('/api/v1', discoveryRoutes)
    .route('/api/v1', jobRoutes)
    .route('/api/v1', scheduleRoutes)
    .route('/api/v1', notificationRoutes)
    .route('/api/v1', agentRoutes)
    .route('/api/v1', shardRoutes)
    .route('/api/v1', importRoutes)
    .route('/api/v1', importJobRoutes)
    .route('/api/v1', stateSourceRoutes)
    .route('/api/v1', stateReadRoutes)
    .route('/api/v1', driftRoutes)
    .route('/api/v1', resourceRoutes)
    .route('/api/v1', resourceTypeRoutes)
    .route('/api/v1', trendRoutes)
    .route('/api/v1', exportRoutes)
    .route('/api/v1', ignoreRoutes)
    .route('/api/v1', tokenRoutes)
    .route('/api/v1', tenantRoutes)
    .route('/api/v1', auditRoutes);
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'DriftMgr API',
      version: '1.0.0',
      description: 'Discovery jobs, agent shard protocol, inventory and drift reports.',
    },
  });
  app.notFound((c) => c.json(errorBody(ErrorCode.notFound, `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(handleError);
  return app;
}
