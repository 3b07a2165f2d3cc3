import { z } from 'zod';
import { DiscoveredResource } from './resource.js';
import { chunkByJsonSize } from './json-chunks.js';

/** Queue messages must stay under 128 KB; this leaves room for the envelope. */
export const MAX_MESSAGE_BYTES = 100_000;
/** `sendBatch` takes at most 100 messages and 256 KB. */
export const MAX_BATCH_MESSAGES = 100;
export const MAX_BATCH_BYTES = 250_000;

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
});
export type ResourcesMessage = z.infer<typeof ResourcesMessage>;

/** Discovery of a job is finished and persisted: analyse one account of it. */
export const AnalyzeMessage = z.object({
  kind: z.literal('analyze'),
  job_id: z.string(),
  account: z.string(),
});
export type AnalyzeMessage = z.infer<typeof AnalyzeMessage>;

export const QueueMessage = z.discriminatedUnion('kind', [ResourcesMessage, AnalyzeMessage]);
export type QueueMessage = z.infer<typeof QueueMessage>;

/** Splits one chunk's resources into messages that each fit the queue's size limit. */
export function splitIntoMessages(
  chunk: Omit<ResourcesMessage, 'kind' | 'part' | 'parts' | 'resources'>,
  resources: DiscoveredResource[],
): ResourcesMessage[] {
  const groups = chunkByJsonSize(resources, MAX_MESSAGE_BYTES, (r, bytes) => {
    throw new ResourceTooLargeError(r.id, bytes);
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

export class ResourceTooLargeError extends Error {
  constructor(
    readonly resourceId: string,
    readonly bytes: number,
  ) {
    super(`resource ${resourceId} is ${bytes} bytes as JSON; one resource may be at most ${MAX_MESSAGE_BYTES}`);
  }
}
