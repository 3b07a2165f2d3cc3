import type { Provider } from '../contract/resource.js';

/** The coordinator object of a job. */
export function jobCoordinator(env: Env, jobId: string) {
  return env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(jobId));
}

/** The dispatcher object where agents of one account wait for work. */
export function agentDispatcher(env: Env, provider: Provider, account: string) {
  return env.AGENT_DISPATCHER.get(env.AGENT_DISPATCHER.idFromName(`${provider}:${account}`));
}

/** The one object that keeps the deployment's discovery schedules. */
export function scheduleKeeper(env: Env) {
  return env.SCHEDULE_KEEPER.get(env.SCHEDULE_KEEPER.idFromName('schedules'));
}

/** The one object that keeps the deployment's counters and histograms. */
export function metricsKeeper(env: Env) {
  return env.METRICS_KEEPER.get(env.METRICS_KEEPER.idFromName('metrics'));
}
