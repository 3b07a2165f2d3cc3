import { DurableObject } from 'cloudflare:workers';
import type { JobStatus } from '../contract/api.js';
import { ErrorCode } from '../contract/errors.js';
import { newJobId, newScheduleId } from '../contract/ids.js';
import { MAX_SCHEDULES, type ScheduleCreated, type ScheduleRequest, type ScheduleView } from '../contract/schedules.js';
import { storeFor } from '../storage/index.js';
import { nextFiring, parseCron } from './cron.js';
import { FINISHED } from './job-record.js';
import { ok, type RpcResult, refuse } from './rpc-result.js';
import { SCHEDULE_SCHEMA } from './schedule-schema.js';
import { type ClaimedRun, type Schedule, ScheduleTable, scheduleView } from './schedule-table.js';
import { migrate } from './sqlite-migrations.js';
import { checkDiscovery, startDiscovery } from './start-discovery.js';
import { jobCoordinator } from './stubs.js';

/**
 * Due runs one alarm starts; any further due ones keep the alarm in the past, so it fires
 * again at once. Keeps each invocation's D1 queries and subrequests well within the limits.
 */
const RUNS_PER_ALARM = 25;

/** Why a run started no job; null when it started one. */
type SkipReason = string | null;

/**
 * Keeps the deployment's discovery schedules (one object, named `schedules`) and starts each
 * one's jobs from the object's single alarm, set to the earliest next run. A run claims its
 * slot and job id in storage before it starts anything, and records the outcome after: an
 * alarm delivered twice finds nothing due, and one that died half way finishes its run with
 * the same job id. A run never throws: a failure to start is recorded as the skip reason.
 */
export class ScheduleKeeper extends DurableObject<Env> {
  private readonly schedules: ScheduleTable;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // No request may see the tables before the schema is at the latest version.
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, SCHEDULE_SCHEMA));
    this.schedules = new ScheduleTable(ctx.storage.sql);
  }

  /** Adds a tenant's schedule after checking its cron and whatever of its discovery can be checked now. */
  async add(req: ScheduleRequest, tenant: string): Promise<RpcResult<ScheduleCreated>> {
    const parsed = parseCron(req.cron);
    if (!parsed.ok) return refuse(400, ErrorCode.badRequest, `cron: ${parsed.message}`);
    const now = Date.now();
    const nextRunAt = nextFiring(parsed.cron, now);
    if (nextRunAt === null) return refuse(400, ErrorCode.badRequest, `cron: '${req.cron}' never fires`);
    const checked = checkDiscovery(req.discovery, 'discovery');
    if (!checked.ok) return checked;
    if (this.schedules.count(tenant) >= MAX_SCHEDULES) {
      return refuse(
        422,
        ErrorCode.unprocessable,
        `the tenant already has ${MAX_SCHEDULES} schedules, the most kept; delete one first`,
      );
    }
    const scheduleId = newScheduleId(now);
    this.schedules.insert({
      schedule_id: scheduleId,
      name: req.name,
      cron: req.cron,
      discovery: req.discovery,
      created_at: now,
      next_run_at: nextRunAt,
      tenant_id: tenant,
    });
    await this.scheduleAlarm();
    return ok({ schedule_id: scheduleId, next_run_at: new Date(nextRunAt).toISOString() });
  }

  async list(tenant: string): Promise<ScheduleView[]> {
    return this.schedules.all(tenant).map(scheduleView);
  }

  /** Whether the tenant's schedule existed; a job it already started runs on. */
  async remove(scheduleId: string, tenant: string): Promise<boolean> {
    const removed = this.schedules.delete(scheduleId, tenant);
    if (removed) await this.scheduleAlarm();
    return removed;
  }

  /** Finishes runs an earlier alarm left in flight, then starts the runs now due. */
  override async alarm(): Promise<void> {
    for (const run of this.schedules.interrupted()) this.record(run, await this.resume(run));
    const now = Date.now();
    for (const schedule of this.schedules.due(now, RUNS_PER_ALARM)) {
      const run = this.claim(schedule, now);
      if (run) this.record(run, await this.start(run));
    }
    await this.scheduleAlarm();
  }

  /** Takes a due run and moves its schedule to the next time after now (missed times are not caught up). */
  private claim(schedule: Schedule, now: number): ClaimedRun | null {
    const parsed = parseCron(schedule.cron);
    const nextRunAt = parsed.ok ? nextFiring(parsed.cron, now) : null;
    const jobId = newJobId(now);
    return this.schedules.claim(schedule, jobId, nextRunAt, now) ? { schedule, jobId } : null;
  }

  /** Starts the run's job unless the schedule's previous job is still open. */
  private async start(run: ClaimedRun): Promise<SkipReason> {
    const { schedule, jobId } = run;
    try {
      const previous = schedule.last_job_id === null ? null : await this.openStatus(schedule.last_job_id);
      if (previous) return `the previous job ${schedule.last_job_id} is still ${previous}`;
      const started = await startDiscovery(this.env, schedule.discovery, {
        jobId,
        scheduleId: schedule.schedule_id,
        tenant: schedule.tenant_id,
      });
      return started.ok ? null : started.message;
    } catch (err) {
      return couldNotStart(err);
    }
  }

  /** A run claimed by an alarm that died: done if its job made it into the index, else started again. */
  private async resume(run: ClaimedRun): Promise<SkipReason> {
    try {
      if (await storeFor(this.env).jobExists(run.jobId)) {
        // The index may lack the coordinator's first counts if the alarm died right after indexing.
        await jobCoordinator(this.env, run.jobId).syncIndex();
        return null;
      }
    } catch (err) {
      return couldNotStart(err);
    }
    return this.start(run);
  }

  private record(run: ClaimedRun, skipped: SkipReason): void {
    if (skipped === null) this.schedules.recordStarted(run);
    else this.schedules.recordSkipped(run, skipped);
  }

  /** The status of a job still open (pending, running, analyzing); null once it ended or if it never was. */
  private async openStatus(jobId: string): Promise<JobStatus | null> {
    const job = await jobCoordinator(this.env, jobId).summary();
    return job.ok && !FINISHED.includes(job.value.status) ? job.value.status : null;
  }

  private async scheduleAlarm(): Promise<void> {
    const at = this.schedules.nextWakeAt();
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }
}

/** The skip reason of a start that threw (storage or an object unreachable). */
function couldNotStart(err: unknown): string {
  return `the job could not be started: ${err instanceof Error ? err.message : String(err)}`;
}
