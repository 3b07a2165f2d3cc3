import { z } from 'zod';
import { DiscoveryRequest } from './api.js';

/**
 * Schedules one tenant may keep, so no tenant's schedules crowd out another's; an alarm starts
 * a bounded number of runs at a time, however many there are.
 */
export const MAX_SCHEDULES = 500;

/** A discovery to run by a five-field UTC cron expression; `discovery` is a POST /discovery body. */
export const ScheduleRequest = z.object({
  name: z.string().min(1).max(200),
  cron: z.string().min(1).max(200),
  discovery: DiscoveryRequest,
});
export type ScheduleRequest = z.infer<typeof ScheduleRequest>;

export const ScheduleCreated = z.object({
  schedule_id: z.string(),
  /** Null only for a cron that never fires again. */
  next_run_at: z.string().nullable(),
});
export type ScheduleCreated = z.infer<typeof ScheduleCreated>;

export const ScheduleView = z.object({
  schedule_id: z.string(),
  name: z.string(),
  cron: z.string(),
  discovery: DiscoveryRequest,
  next_run_at: z.string().nullable(),
  /** When the schedule last started a job, and which. */
  last_run_at: z.string().nullable(),
  last_job_id: z.string().nullable(),
  /** When a due run last started no job, and why (previous job still open, or the start failed). */
  last_skipped_at: z.string().nullable(),
  last_skip_reason: z.string().nullable(),
  created_at: z.string(),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

export const ScheduleList = z.object({ schedules: z.array(ScheduleView) });
