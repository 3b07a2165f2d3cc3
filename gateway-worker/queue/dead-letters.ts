/**
 * Consumer of the dead-letter queue: keeps every message that could not be processed in
 * D1 with its reason, so an operator can see and replay it instead of it vanishing.
 */
export async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const receivedAt = new Date().toISOString();
  await env.DB.batch(
    batch.messages.map((m) => {
      const body = m.body as { reason?: unknown } | null;
      const reason = typeof body?.reason === 'string' ? body.reason : `retries exhausted on ${batch.queue}`;
      return env.DB.prepare(
        `INSERT OR IGNORE INTO dead_letters (message_id, queue, reason, body, received_at) VALUES (?, ?, ?, ?, ?)`,
      ).bind(m.id, batch.queue, reason, JSON.stringify(m.body), receivedAt);
    }),
  );
  for (const m of batch.messages) {
    console.error(JSON.stringify({ level: 'error', msg: 'dead letter recorded', id: m.id, queue: batch.queue }));
    m.ack();
  }
}
