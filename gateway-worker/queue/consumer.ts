import type { PersistedPart } from '../../contract/job.js';
import { storeFor } from '../../storage/index.js';
import { analyzeAccount } from './analyze.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { QueueMessage, type AnalyzeMessage, type ResourcesMessage } from '../../contract/queue.js';

type Delivered<T> = { message: Message<unknown>; body: T };

/**
 * The drift analyzer's queue consumer. Resource messages are written in one D1 batch per
 * delivery and then reported to their job coordinators; analyze messages run the analysis.
 * Every step is idempotent, so a redelivered batch changes nothing. A message that is not
 * one of ours goes to the dead-letter queue with the reason instead of being retried.
 */
export async function consumeResults(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const resources: Delivered<ResourcesMessage>[] = [];
  const analyses: Delivered<AnalyzeMessage>[] = [];
  for (const message of batch.messages) {
    const parsed = QueueMessage.safeParse(message.body);
    if (!parsed.success) {
      await deadLetter(env, message, `not a DriftMgr queue message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      continue;
    }
    if (parsed.data.kind === 'resources') resources.push({ message, body: parsed.data });
    else analyses.push({ message, body: parsed.data });
  }
  await persistResources(env, resources);
  for (const analysis of analyses) await analyze(env, analysis);
}

async function persistResources(env: Env, delivered: Delivered<ResourcesMessage>[]): Promise<void> {
  if (delivered.length === 0) return;
  const seenAt = new Date().toISOString();
  try {
    await storeFor(env).upsertResources(
      delivered.map(({ body }) => ({ job_id: body.job_id, resources: body.resources })),
      seenAt,
    );
    for (const [jobId, group] of Map.groupBy(delivered, (d) => d.body.job_id)) {
      const parts: PersistedPart[] = group.map(({ body }) => ({
        shard_id: body.shard_id,
        attempt: body.attempt,
        sequence: body.sequence,
        part: body.part,
      }));
      await jobCoordinator(env, jobId).recordPersisted(parts);
    }
    for (const { message } of delivered) message.ack();
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'persisting resources failed; retrying', error: String(err) }));
    for (const { message } of delivered) message.retry({ delaySeconds: 5 });
  }
}

async function analyze(env: Env, { message, body }: Delivered<AnalyzeMessage>): Promise<void> {
  try {
    await analyzeAccount(env, body.job_id, body.account);
    message.ack();
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'analysis failed; retrying', job_id: body.job_id, error: String(err) }));
    message.retry({ delaySeconds: 10 });
  }
}

async function deadLetter(env: Env, message: Message<unknown>, reason: string): Promise<void> {
  console.error(JSON.stringify({ level: 'error', msg: 'dead-lettering message', id: message.id, reason }));
  await env.DEAD_LETTER_QUEUE.send({ reason, message_id: message.id, body: message.body });
  message.ack();
}
