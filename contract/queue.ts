import { z } from 'zod';
import { chunkByJsonSize } from './json-chunks.js';
import { MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, MAX_MESSAGE_BYTES } from './limits.js';
import { DiscoveredResource, Provider } from './resource.js';
import { DEFAULT_TENANT, TenantId } from './tenants.js';

/** One part of a results chunk: the resources of (shard, attempt, sequence) split to fit a message. */
export const ResourcesMessage = z.object({
  kind: z.literal('resources'),
  job_id: z.string(),
  shard_id: z.string(),
  attempt: z.number().int(),
  sequence: z.number().int(),
  part: z.number().int(),
  parts: z.number().int(),
  resources: z.array(DiscoveredResource),
  /** W3C traceparent of the request that sent the chunk (contract/trace-context.ts); read leniently. */
  traceparent: z.string().optional(),
});
export type ResourcesMessage = z.infer<typeof ResourcesMessage>;

/**
 * Discovery of a job is finished and persisted: do one part of the analysis of one account (its
 * plan, a range of its resources, or its close). Without `part`, as releases before parts sent
 * it: the account's first part.
 */
export const AnalyzeMessage = z.object({
  kind: z.literal('analyze'),
  job_id: z.string(),
  account: z.string(),
  part: z.number().int().optional(),
  /** W3C traceparent of the call that finished the job's discovery. */
  traceparent: z.string().optional(),
});
export type AnalyzeMessage = z.infer<typeof AnalyzeMessage>;

/** An import too large for the request that brought it: read its files from the upload bucket and store them. */
export const ImportMessage = z.object({
  kind: z.literal('import'),
  import_id: z.string(),
  /** The tenant the import belongs to; absent in messages sent before tenants: the default tenant. */
  tenant_id: TenantId.default(DEFAULT_TENANT),
  /** W3C traceparent of the request that uploaded it. */
  traceparent: z.string().optional(),
});
export type ImportMessage = z.infer<typeof ImportMessage>;

export const QueueMessage = z.discriminatedUnion('kind', [ResourcesMessage, AnalyzeMessage, ImportMessage]);
export type QueueMessage = z.infer<typeof QueueMessage>;

/**
 * A job's analysis found new drift: tell one notification target, on the notifications queue.
 * Sent again when the completion is retried; the sender delivers each (job, target) once.
 */
export const NotificationMessage = z.object({
  kind: z.literal('notification'),
  job_id: z.string(),
  provider: Provider,
  notification_id: z.string(),
});
export type NotificationMessage = z.infer<typeof NotificationMessage>;

/**
 * A message the results consumer could not process, as it puts it on the dead-letter queue.
 * Messages the queue itself moves there after its retries arrive as their bare body instead.
 */
export const DeadLetterEnvelope = z.object({
  reason: z.string(),
  message_id: z.string(),
  body: z.unknown(),
});
export type DeadLetterEnvelope = z.infer<typeof DeadLetterEnvelope>;

/**
 * Splits one chunk's resources into messages that each fit the queue's size limit. Resources
 * within the limits of contract/limits.ts always fit one message; a bigger one is a bug.
 */
export function splitIntoMessages(
  chunk: Omit<ResourcesMessage, 'kind' | 'part' | 'parts' | 'resources'>,
  resources: DiscoveredResource[],
): ResourcesMessage[] {
  const groups = chunkByJsonSize(resources, MAX_MESSAGE_BYTES, (r, bytes) => {
    throw new Error(`resource ${r.id} is ${bytes} bytes as JSON; one message holds at most ${MAX_MESSAGE_BYTES}`);
  });
  if (groups.length === 0) groups.push([]);
  return groups.map((group, part) => ({ kind: 'resources', ...chunk, part, parts: groups.length, resources: group }));
}

/** Groups messages into `sendBatch` calls within the batch count and size limits. */
export function batchMessages<T>(messages: T[]): T[][] {
  return chunkByJsonSize(
    messages,
    MAX_BATCH_BYTES,
    (_, bytes) => {
      throw new Error(`a ${bytes}-byte message cannot be sent in a batch`);
    },
    MAX_BATCH_MESSAGES,
  );
}
