import { z } from 'zod';
import { DiscoveredResource } from '../../contract/resource.js';

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

/** Discovery of a job is finished and persisted: analyse it. */
export const AnalyzeMessage = z.object({
  kind: z.literal('analyze'),
  job_id: z.string(),
});
export type AnalyzeMessage = z.infer<typeof AnalyzeMessage>;

export const QueueMessage = z.discriminatedUnion('kind', [ResourcesMessage, AnalyzeMessage]);
export type QueueMessage = z.infer<typeof QueueMessage>;

const encoder = new TextEncoder();
const byteLength = (value: unknown) => encoder.encode(JSON.stringify(value)).byteLength;

/** Splits one chunk's resources into messages that each fit the queue's size limit. */
export function splitIntoMessages(
  chunk: Omit<ResourcesMessage, 'kind' | 'part' | 'parts' | 'resources'>,
  resources: DiscoveredResource[],
): ResourcesMessage[] {
  const groups: DiscoveredResource[][] = [];
  let current: DiscoveredResource[] = [];
  let size = 0;
  for (const resource of resources) {
    const bytes = byteLength(resource) + 1;
    if (bytes > MAX_MESSAGE_BYTES) throw new ResourceTooLargeError(resource.id, bytes);
    if (size + bytes > MAX_MESSAGE_BYTES && current.length > 0) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(resource);
    size += bytes;
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  return groups.map((group, part) => ({ kind: 'resources', ...chunk, part, parts: groups.length, resources: group }));
}

/** Groups messages into `sendBatch` calls within the batch count and size limits. */
export function batchMessages<T>(messages: T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const message of messages) {
    const bytes = byteLength(message);
    if (current.length === MAX_BATCH_MESSAGES || (size + bytes > MAX_BATCH_BYTES && current.length > 0)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export class ResourceTooLargeError extends Error {
  constructor(
    readonly resourceId: string,
    readonly bytes: number,
  ) {
    super(`resource ${resourceId} is ${bytes} bytes as JSON; one resource may be at most ${MAX_MESSAGE_BYTES}`);
  }
}
