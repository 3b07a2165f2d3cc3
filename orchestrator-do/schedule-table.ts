import { z } from 'zod';
import { DiscoveryRequest } from '../contract/api.js';
import type { ScheduleView } from '../contract/schedules.js';
import { decodeRows, jsonColumn } from './sql-rows.js';

/** A row of the `schedules` table, decoded here and nowhere else. */
const ScheduleRow = z.object({
  schedule_id: z.string(),
  name: z.string(),
  cron: z.string(),
  discovery: jsonColumn(DiscoveryRequest),
  created_at: z.number(),
  next_run_at: z.number().nullable(),
  last_run_at: z.number().nullable(),
  last_job_id: z.string().nullable(),
  last_skipped_at: z.number().nullable(),
  last_skip_reason: z.string().nullable(),
  run_job_id: z.string().nullable(),
  run_started_at: z.number().nullable(),
  tenant_id: z.string(),
});
export type Schedule = z.output<typeof ScheduleRow>;

/** A run claimed from the table: its schedule and the job id the run starts. */
export interface ClaimedRun {
  schedule: Schedule;
  jobId: string;
}

export type NewSchedule = Pick<
  Schedule,
  'schedule_id' | 'name' | 'cron' | 'discovery' | 'created_at' | 'next_run_at' | 'tenant_id'
>;

/** The schedules table: each schedule, when it runs next, and how its last runs went. */
export class ScheduleTable {
  constructor(private readonly sql: SqlStorage) {}

  insert(s: NewSchedule): void {
    this.sql.exec(
      `INSERT INTO schedules (schedule_id, name, cron, discovery, created_at, next_run_at, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      s.schedule_id,
      s.name,
      s.cron,
      JSON.stringify(s.discovery),
      s.created_at,
      s.next_run_at,
      s.tenant_id,
    );
  }

  /** A tenant's schedules, oldest first. */
  all(tenant: string): Schedule[] {
    return decodeRows(
      this.sql.exec(`SELECT * FROM schedules WHERE tenant_id = ? ORDER BY created_at, schedule_id`, tenant),
      ScheduleRow,
    );
  }

  /** How many schedules a tenant keeps. */
  count(tenant: string): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM schedules WHERE tenant_id = ?`, tenant).one().n;
  }

  /** Whether a schedule of that id and tenant was there to delete. */
  delete(scheduleId: string, tenant: string): boolean {
    return (
      this.sql.exec(`DELETE FROM schedules WHERE schedule_id = ? AND tenant_id = ?`, scheduleId, tenant).rowsWritten > 0
    );
  }

  /** Up to `limit` schedules whose next run is due at `now` and that have no run in flight, most overdue first. */
  due(now: number, limit: number): Schedule[] {
    return decodeRows(
      this.sql.exec(
        `SELECT * FROM schedules WHERE next_run_at <= ? AND run_job_id IS NULL ORDER BY next_run_at LIMIT ?`,
        now,
        limit,
      ),
      ScheduleRow,
    );
  }

  /** Runs claimed by an alarm that never recorded their outcome (it died, or threw, half way). */
  interrupted(): ClaimedRun[] {
    const rows = decodeRows(this.sql.exec(`SELECT * FROM schedules WHERE run_job_id IS NOT NULL`), ScheduleRow);
    return rows.map((schedule) => ({ schedule, jobId: schedule.run_job_id! }));
  }

  /**
   * Takes the due run of `s` for `jobId` and moves the schedule to its next run, in one write
   * before anything is started. False when the run was already taken (the alarm ran twice).
   */
  claim(s: Schedule, jobId: string, nextRunAt: number | null, now: number): boolean {
    const claimed = this.sql.exec(
      `UPDATE schedules SET next_run_at = ?, run_job_id = ?, run_started_at = ?
       WHERE schedule_id = ? AND next_run_at = ? AND run_job_id IS NULL`,
      nextRunAt,
      jobId,
      now,
      s.schedule_id,
      s.next_run_at,
    );
    return claimed.rowsWritten > 0;
  }

  /** The claimed run started its job. */
  recordStarted(run: ClaimedRun): void {
    this.sql.exec(
      `UPDATE schedules SET last_run_at = run_started_at, last_job_id = run_job_id, run_job_id = NULL, run_started_at = NULL
       WHERE schedule_id = ? AND run_job_id = ?`,
      run.schedule.schedule_id,
      run.jobId,
    );
  }

  /** The claimed run started no job, for `reason`. */
  recordSkipped(run: ClaimedRun, reason: string): void {
    this.sql.exec(
      `UPDATE schedules SET last_skipped_at = run_started_at, last_skip_reason = ?, run_job_id = NULL, run_started_at = NULL
       WHERE schedule_id = ? AND run_job_id = ?`,
      reason,
      run.schedule.schedule_id,
      run.jobId,
    );
  }

  /** The earliest next run. A run left in flight is finished by the alarm's retry, or at the next run. */
  nextWakeAt(): number | null {
    return this.sql.exec<{ at: number | null }>(`SELECT MIN(next_run_at) AS at FROM schedules`).one().at;
  }
}

const isoOrNull = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function scheduleView(s: Schedule): ScheduleView {
  return {
    schedule_id: s.schedule_id,
    name: s.name,
    cron: s.cron,
    discovery: s.discovery,
    next_run_at: isoOrNull(s.next_run_at),
    last_run_at: isoOrNull(s.last_run_at),
    last_job_id: s.last_job_id,
    last_skipped_at: isoOrNull(s.last_skipped_at),
    last_skip_reason: s.last_skip_reason,
    created_at: new Date(s.created_at).toISOString(),
  };
}
