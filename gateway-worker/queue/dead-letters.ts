import { storeFor } from '../../storage/index.js';

/**
 * Consumer of the dead-letter queue: keeps every message that could not be processed in
 * D1 with its reason, so an operator can see and replay it instead of it vanishing.
 */
export async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const letters = batch.messages.map((m) => {
    const body = m.body as { reason?: unknown } | null;
    const reason = typeof body?.reason === 'string' ? body.reason : `retries exhausted on ${batch.queue}`;
    return { message_id: m.id, queue: batch.queue, reason, body: m.body };
  });
  await storeFor(env).recordDeadLetters(letters, new Date().toISOString());
  for (const m of batch.messages) {
    console.error(JSON.stringify({ level: 'error', msg: 'dead letter recorded', id: m.id, queue: batch.queue }));
    m.ack();
  }
}
