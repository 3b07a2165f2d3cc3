import { z } from 'zod';
import { JobSummary, ShardView } from './api.js';

/**
 * The Server-Sent Events of `GET /api/v1/jobs/{job_id}/events`. Each event's `id` is the job's
 * change number; a client that reconnects with `Last-Event-ID` gets only what changed after it.
 */
export const JobEventName = { job: 'job', shard: 'shard' } as const;

/**
 * `job`: the job's status and counts (what changes; the rest of the job is in GET /jobs/{job_id}).
 * Sent on connecting, after every change, and last with a finished status, after which the stream ends.
 */
export const JobEvent = JobSummary.pick({
  job_id: true,
  status: true,
  counts: true,
  updated_at: true,
  finished_at: true,
  error: true,
}).extend({
  /**
   * Shard changes folded into these counts without a `shard` event of their own, because the
   * client fell too far behind (or one step changed many shards); read the job's shard pages for them.
   */
  shard_events_skipped: z.number().int(),
});
export type JobEvent = z.infer<typeof JobEvent>;

/** `shard`: one shard's new state; a shard that changed twice before it was sent is sent once, as it is now. */
export const ShardEvent = ShardView;
export type ShardEvent = z.infer<typeof ShardEvent>;
