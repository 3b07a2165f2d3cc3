import type { PersistedPart } from '../../contract/job.js';
import { METRICS, observationDeltas } from '../../contract/metrics.js';
import { type AnalyzeMessage, type ImportMessage, QueueMessage, type ResourcesMessage } from '../../contract/queue.js';
import { recordMetrics } from '../../orchestrator-do/metric-recorder.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import { IMPORT_ATTEMPTS, runImport } from '../imports/run-import.js';
import { analyzePart } from './analyze.js';
import { sendToDeadLetters } from './dead-letters.js';
import { logPersisted, traceFields } from './message-trace.js';

type Delivered<T> = { message: Message<unknown>; body: T };

/**
 * The drift analyzer's queue consumer. Resource messages are written in one batch per delivery
 * and then reported to their job coordinators; analyze messages run the analysis; import
 * messages read a large state upload into storage. Every step is
 * idempotent, so a redelivered batch changes nothing. A message that is not one of ours goes to
 * the dead-letter queue with the reason instead of being retried.
 */
export async function consumeResults(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const resources: Delivered<ResourcesMessage>[] = [];
  const analyses: Delivered<AnalyzeMessage>[] = [];
  const imports: Delivered<ImportMessage>[] = [];
  for (const message of batch.messages) {
    const parsed = QueueMessage.safeParse(message.body);
    if (!parsed.success) {
      await sendToDeadLetters(
        env.DEAD_LETTER_QUEUE,
        message,
        `not a DriftMgr queue message: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
      continue;
    }
    if (parsed.data.kind === 'resources') resources.push({ message, body: parsed.data });
    else if (parsed.data.kind === 'import') imports.push({ message, body: parsed.data });
    else analyses.push({ message, body: parsed.data });
  }
  await persistResources(env, resources);
  for (const analysis of analyses) await analyze(env, analysis);
  for (const one of imports) await importStates(env, one);
}

/**
 * Writes the delivery in one batch; when that fails, message by message, so a message storage
 * refuses is retried alone (and reaches the dead-letter queue after the queue's max_retries)
 * while its neighbours are written and acked.
 */
async function persistResources(env: Env, delivered: Delivered<ResourcesMessage>[]): Promise<void> {
  if (delivered.length === 0) return;
  try {
    await persist(env, delivered);
    for (const { message } of delivered) message.ack();
    return;
  } catch (err) {
    if (delivered.length === 1) return retryPersisting(delivered[0]!, err);
    logError('persisting the delivery failed; writing its messages one by one', err);
  }
  for (const one of delivered) {
    try {
      await persist(env, [one]);
      one.message.ack();
    } catch (err) {
      retryPersisting(one, err);
    }
  }
}

/** Upserts the resources, then tells each job coordinator which parts are written. */
async function persist(env: Env, delivered: Delivered<ResourcesMessage>[]): Promise<void> {
  await storeFor(env).upsertResources(
    delivered.map(({ body }) => ({ job_id: body.job_id, resources: body.resources })),
    new Date().toISOString(),
  );
  for (const [jobId, group] of Map.groupBy(delivered, (d) => d.body.job_id)) {
    const parts: PersistedPart[] = group.map(({ body }) => ({
      shard_id: body.shard_id,
      attempt: body.attempt,
      sequence: body.sequence,
      part: body.part,
    }));
    // The last message's trace carries on into the analysis when these parts finish discovery.
    await jobCoordinator(env, jobId).recordPersisted(parts, group.at(-1)?.body.traceparent);
    logPersisted(
      jobId,
      group.map((d) => d.body),
    );
  }
}

function retryPersisting({ message, body }: Delivered<ResourcesMessage>, err: unknown): void {
  logError('persisting resources failed; retrying', err, {
    id: message.id,
    shard_id: body.shard_id,
    attempts: message.attempts,
    ...traceFields(body),
  });
  message.retry({ delaySeconds: 5 });
}

async function analyze(env: Env, { message, body }: Delivered<AnalyzeMessage>): Promise<void> {
  const started = Date.now();
  const fields = { id: message.id, job_id: body.job_id, account: body.account, part: body.part, ...traceFields(body) };
  let outcome: 'ok' | 'error' = 'ok';
  try {
    const stage = await analyzePart(env, body.job_id, body.account, body.part);
    message.ack();
    // An account is analysed once its close is done.
    const msg = stage === 'close' ? 'account analysed' : `analysis ${stage} part done`;
    console.log(JSON.stringify({ level: 'info', msg, ...fields }));
  } catch (err) {
    outcome = 'error';
    logError('analysis failed; retrying', err, { ...fields, attempts: message.attempts });
    message.retry({ delaySeconds: 10 });
  }
  await recordMetrics(env, observationDeltas(METRICS.analysisDuration, { outcome }, (Date.now() - started) / 1000));
}

/** A streamed import (imports/run-import.ts); a failure of the system is retried, starting over. */
async function importStates(env: Env, { message, body }: Delivered<ImportMessage>): Promise<void> {
  const fields = { id: message.id, import_id: body.import_id, ...traceFields(body) };
  try {
    await runImport(env, body.import_id, body.tenant_id, message.attempts >= IMPORT_ATTEMPTS);
    message.ack();
    console.log(JSON.stringify({ level: 'info', msg: 'import done', ...fields }));
  } catch (err) {
    logError('import failed; retrying', err, { ...fields, attempts: message.attempts });
    message.retry({ delaySeconds: 10 });
  }
}

function logError(msg: string, err: unknown, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level: 'error', msg, ...fields, error: String(err) }));
}
