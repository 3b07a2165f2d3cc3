import type { JobSpec } from '../contract/job.js';
import { batchMessages, type NotificationMessage } from '../contract/queue.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import type { DriftSummary } from '../engine/index.js';
import { storeFor } from '../storage/index.js';

/**
 * Puts one message per notification target on the notifications queue once a job's analysis
 * found drift first seen in it; the sender picks each target's items by its severity and
 * delivers each (job, target) once, so announcing a completion again sends nothing twice.
 * The job is complete whatever happens here: a failure is logged, never thrown into it.
 */
export async function announceNewDrift(
  env: Env,
  spec: Pick<JobSpec, 'job_id' | 'provider' | 'tenant_id'>,
  summary: Pick<DriftSummary, 'new'>,
): Promise<void> {
  if (summary.new === 0) return;
  try {
    // Only the job's tenant's targets hear of its drift.
    const targets = await storeFor(env).listNotifications(spec.tenant_id ?? DEFAULT_TENANT);
    const messages = targets.map(
      (t): NotificationMessage => ({
        kind: 'notification',
        job_id: spec.job_id,
        provider: spec.provider,
        notification_id: t.notification_id,
      }),
    );
    for (const batch of batchMessages(messages)) {
      await env.NOTIFICATION_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const })));
    }
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'error', msg: 'announcing new drift failed', job_id: spec.job_id, error: String(err) }),
    );
  }
}
