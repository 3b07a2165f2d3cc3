import { MAX_NOTIFIED_ITEMS, severitiesAtOrAbove, type WebhookPayload } from '../../contract/notifications.js';
import type { NotificationMessage } from '../../contract/queue.js';
import type { NotificationTarget, Store } from '../../storage/store.js';
import { slackMessage, webhookPayload } from './payloads.js';
import { signatureOf } from './signature.js';

/** How long a receiver may take to answer before the attempt counts as failed (and is retried). */
const RECEIVER_TIMEOUT_MS = 10_000;

/** Answers worth trying again later: the receiver is down, overloaded or asks us to slow down. */
const isRetryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  /** Nothing to send: the target is gone, was told already, or the job has no new drift at its severity. */
  | { kind: 'nothing'; why: string }
  | { kind: 'failed'; retryable: boolean; reason: string };

/**
 * Delivers one (job, target) notification. A delivery the receiver took is recorded, so the
 * message delivered again (a retried completion, or the queue's own redelivery) sends nothing;
 * two copies racing may both send, with the same X-DriftMgr-Delivery for the receiver to drop one.
 */
export async function deliverNotification(store: Store, message: NotificationMessage): Promise<DeliveryOutcome> {
  const target = await store.getNotification(message.notification_id);
  if (!target) return { kind: 'nothing', why: 'the target was deleted' };
  if (await store.notificationDelivered(target.notification_id, message.job_id))
    return { kind: 'nothing', why: 'delivered already' };
  const digest = await store.newDriftDigest(
    message.job_id,
    severitiesAtOrAbove(target.min_severity),
    MAX_NOTIFIED_ITEMS,
  );
  const payload = webhookPayload(message, target, digest);
  if (payload.summary.new === 0) return { kind: 'nothing', why: `no new drift at or above ${target.min_severity}` };
  const outcome = await post(target, payload);
  if (outcome.kind === 'delivered')
    await store.recordNotificationDelivery(target.notification_id, message.job_id, new Date().toISOString());
  return outcome;
}

/** The request a target gets: JSON (Block Kit for Slack), signed when the target has a secret. */
export async function deliveryRequest(target: NotificationTarget, payload: WebhookPayload): Promise<Request> {
  const body = JSON.stringify(target.type === 'slack' ? slackMessage(payload) : payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'DriftMgr-Notifications/1',
    'x-driftmgr-delivery': payload.delivery_id,
    'x-driftmgr-timestamp': timestamp,
  };
  if (target.secret !== null) headers['x-driftmgr-signature'] = await signatureOf(target.secret, timestamp, body);
  // Redirects are not followed: the registered URL is the one that passed validation.
  return new Request(target.url, { method: 'POST', headers, body, redirect: 'manual' });
}

async function post(target: NotificationTarget, payload: WebhookPayload): Promise<DeliveryOutcome> {
  const where = `${target.type} ${new URL(target.url).host}`;
  let response: Response;
  try {
    response = await fetch(await deliveryRequest(target, payload), {
      signal: AbortSignal.timeout(RECEIVER_TIMEOUT_MS),
    });
  } catch (err) {
    return { kind: 'failed', retryable: true, reason: `${where} could not be reached: ${String(err)}` };
  }
  await response.body?.cancel();
  if (response.ok) return { kind: 'delivered', status: response.status };
  return {
    kind: 'failed',
    retryable: isRetryableStatus(response.status),
    reason: `${where} answered ${response.status}`,
  };
}
