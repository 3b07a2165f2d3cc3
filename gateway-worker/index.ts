import { createApp } from './app.js';
import { consumeResults } from './queue/consumer.js';
import { recordDeadLetters } from './queue/dead-letters.js';
import { consumeNotifications, NOTIFICATIONS_QUEUE } from './queue/notifications.js';
import { pruneOldDetail } from './retention.js';

export { AgentDispatcher } from '../orchestrator-do/agent-dispatcher.js';
export { JobCoordinator } from '../orchestrator-do/job-coordinator.js';
export { MetricsKeeper } from '../orchestrator-do/metrics-keeper.js';
export { ScheduleKeeper } from '../orchestrator-do/schedule-keeper.js';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue.endsWith('-dlq')) await recordDeadLetters(batch, env);
    else if (batch.queue === NOTIFICATIONS_QUEUE) await consumeNotifications(batch, env);
    else await consumeResults(batch, env);
  },
  async scheduled(_controller, env) {
    await pruneOldDetail(env);
  },
} satisfies ExportedHandler<Env>;
