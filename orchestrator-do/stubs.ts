import type { Provider } from '../contract/resource.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';

/** The coordinator object of a job. */
export function jobCoordinator(env: Env, jobId: string) {
  return env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(jobId));
}

/**
 * The dispatcher object where a tenant's agents of one account wait for work. The default
 * tenant's keep the names they had before tenants.
 */
export function agentDispatcher(env: Env, provider: Provider, account: string, tenant: string) {
  const name = tenant === DEFAULT_TENANT ? `${provider}:${account}` : `${tenant}/${provider}:${account}`;
  return env.AGENT_DISPATCHER.get(env.AGENT_DISPATCHER.idFromName(name));
}

/** The one object that keeps the deployment's discovery schedules. */
export function scheduleKeeper(env: Env) {
  return env.SCHEDULE_KEEPER.get(env.SCHEDULE_KEEPER.idFromName('schedules'));
}

/** The one object that keeps the deployment's counters and histograms. */
export function metricsKeeper(env: Env) {
  return env.METRICS_KEEPER.get(env.METRICS_KEEPER.idFromName('metrics'));
}
