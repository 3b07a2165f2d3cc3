import { NotificationMessage } from '../../contract/queue.js';
import { storeFor } from '../../storage/index.js';
import { type DeliveryOutcome, deliverNotification } from '../notifications/deliver.js';
import { sendToDeadLetters } from './dead-letters.js';

/** The queue notifications travel on (wrangler.toml). */
export const NOTIFICATIONS_QUEUE = 'driftmgr-notifications';
/** Attempts a notification gets: the notifications queue's max_retries (wrangler.toml) plus the first. */
export const NOTIFICATION_ATTEMPTS = 8;
/** The longest wait between two attempts. */
const MAX_RETRY_DELAY_SECONDS = 3600;

/** The wait before attempt `attempts + 1`: the base, doubled for each attempt made after the first. */
export function notificationRetryDelay(attempts: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** (attempts - 1), MAX_RETRY_DELAY_SECONDS);
}

/**
 * Consumer of the notifications queue: one message is one (job, target) delivery. A receiver
 * that fails or cannot be reached is tried again with backoff; one that refuses the delivery
 * (a 4xx other than 408 and 429, or a redirect), or still fails on the last attempt, sends the
 * message to the dead-letter queue with the reason, where it is kept for operators.
 */
export async function consumeNotifications(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const store = storeFor(env);
  const baseSeconds = Number(env.NOTIFICATION_RETRY_BASE_SECONDS ?? 30);
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = NotificationMessage.safeParse(message.body);
      if (!parsed.success) {
        return sendToDeadLetters(env.NOTIFICATION_DEAD_LETTER_QUEUE, message, 'not a DriftMgr notification message');
      }
      let outcome: DeliveryOutcome;
      try {
        outcome = await deliverNotification(store, parsed.data);
      } catch (err) {
        // Storage failed: tried again like a receiver that failed.
        outcome = { kind: 'failed', retryable: true, reason: `delivery failed: ${String(err)}` };
      }
      log(message, parsed.data, outcome);
      if (outcome.kind !== 'failed') return message.ack();
      if (outcome.retryable && message.attempts < NOTIFICATION_ATTEMPTS) {
        return message.retry({ delaySeconds: notificationRetryDelay(message.attempts, baseSeconds) });
      }
      const reason = `${outcome.reason} (attempt ${message.attempts} of ${NOTIFICATION_ATTEMPTS})`;
      return sendToDeadLetters(env.NOTIFICATION_DEAD_LETTER_QUEUE, message, reason);
    }),
  );
}

function log(message: Message<unknown>, body: NotificationMessage, outcome: DeliveryOutcome): void {
  const line = {
    level: outcome.kind === 'failed' ? 'warn' : 'info',
    msg: `notification ${outcome.kind}`,
    id: message.id,
    job_id: body.job_id,
    notification_id: body.notification_id,
    attempts: message.attempts,
    ...outcome,
  };
  (outcome.kind === 'failed' ? console.warn : console.log)(JSON.stringify(line));
}
