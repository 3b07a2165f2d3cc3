import { z } from 'zod';
import { counterDelta, METRICS } from '../../contract/metrics.js';
import { DeadLetterEnvelope, NotificationMessage, QueueMessage } from '../../contract/queue.js';
import { recordMetrics } from '../../orchestrator-do/metric-recorder.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import type { DeadLetter } from '../../storage/store.js';
import { failImport } from '../imports/run-import.js';

/** Hands a message its consumer gives up on to a dead-letter queue, wrapped with the reason, and acks it. */
export async function sendToDeadLetters(queue: Queue, message: Message<unknown>, reason: string): Promise<void> {
  console.error(JSON.stringify({ level: 'error', msg: 'dead-lettering message', id: message.id, reason }));
  const letter: DeadLetterEnvelope = { reason, message_id: message.id, body: message.body };
  await queue.send(letter);
  message.ack();
}

/** Enough of a message that is not one of ours to tell whose job it names, if any. */
const NamesJob = z.object({ job_id: z.string() });

/**
 * Consumer of the dead-letter queue: keeps every message that could not be processed in D1
 * with its reason, so an operator can see and replay it instead of it vanishing, and fails the
 * job the message belonged to with that reason, as the job would otherwise wait for it forever.
 */
export async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const letters = batch.messages.map((m) => letterOf(m, batch.queue));
  await storeFor(env).recordDeadLetters(
    letters.map((l) => l.stored),
    new Date().toISOString(),
  );
  await recordMetrics(env, counterDelta(METRICS.deadLettered, { queue: batch.queue }, batch.messages.length));
  for (const [i, m] of batch.messages.entries()) {
    console.error(JSON.stringify({ level: 'error', msg: 'dead letter recorded', id: m.id, queue: batch.queue }));
    try {
      await failJobOf(env, letters[i]!);
      m.ack();
    } catch (err) {
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'failing the job of a dead letter failed; retrying',
          id: m.id,
          error: String(err),
        }),
      );
      m.retry({ delaySeconds: 10 });
    }
  }
}

/** A dead letter as stored, and the message it carries. */
interface Letter {
  stored: DeadLetter;
  original: unknown;
}

/**
 * The results consumer wraps what it gives up on with its reason; the queue moves a message
 * here bare once its retries are exhausted.
 */
function letterOf(m: Message<unknown>, queue: string): Letter {
  const wrapped = DeadLetterEnvelope.safeParse(m.body);
  const reason = wrapped.success ? wrapped.data.reason : `retries exhausted on ${queue.replace(/-dlq$/, '')}`;
  return {
    stored: { message_id: m.id, queue, reason, body: m.body },
    original: wrapped.success ? wrapped.data.body : m.body,
  };
}

/** Fails the indexed job a dead letter belonged to; a job that already ended stays as it is. */
async function failJobOf(env: Env, { stored, original }: Letter): Promise<void> {
  // A notification is sent once its job has completed: there is nothing left to fail.
  if (NotificationMessage.safeParse(original).success) return;
  const message = QueueMessage.safeParse(original).data;
  // An import belongs to no job: it fails on its own.
  if (message?.kind === 'import')
    return failImport(env, message.import_id, message.tenant_id, `was dead-lettered: ${stored.reason}`);
  const jobId = message ? message.job_id : NamesJob.safeParse(original).data?.job_id;
  // An id the index does not list has no coordinator; asking one would create it.
  if (jobId === undefined || !(await storeFor(env).jobExists(jobId))) return;
  const what = message ? describe(message) : 'a queue message of the job';
  await jobCoordinator(env, jobId).failJob(`${what} was dead-lettered: ${stored.reason}`);
}

function describe(m: Exclude<QueueMessage, { kind: 'import' }>): string {
  return m.kind === 'resources'
    ? `results of shard ${m.shard_id} (attempt ${m.attempt}, sequence ${m.sequence}, part ${m.part})`
    : `the analysis of account ${m.account}`;
}
