import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newJobId, newScheduleId } from '../contract/ids.js';
import { MAX_SCHEDULES } from '../contract/schedules.js';
import { api } from '../test/support/worker/api.js';
import type { ScheduleKeeper } from './schedule-keeper.js';
import { ScheduleTable } from './schedule-table.js';

/** Fires on 1 January only, so no alarm comes due by itself while these tests run. */
const YEARLY = '0 0 1 1 *';
const nextFirstOfJanuary = () => Date.UTC(new Date().getUTCFullYear() + 1, 0, 1);

let accountSeq = 300_000_000_000;
/** Storage is shared within a file, so each test gets an account no other test uses. */
const freshAccount = () => String(accountSeq++);

const keeper = () => env.SCHEDULE_KEEPER.get(env.SCHEDULE_KEEPER.idFromName('schedules'));

/** Runs SQL inside the keeper: how these tests move a schedule's next run into the past. */
const inKeeper = <T>(fn: (sql: SqlStorage) => T) =>
  runInDurableObject(keeper(), (_: ScheduleKeeper, state) => fn(state.storage.sql));
const makeDue = (scheduleId: string) =>
  inKeeper((sql) => sql.exec(`UPDATE schedules SET next_run_at = 1 WHERE schedule_id = ?`, scheduleId));

async function createSchedule(discovery: Record<string, unknown>): Promise<string> {
  const res = await api('POST', '/api/v1/schedules', {
    name: 'test',
    cron: YEARLY,
    discovery: { provider: 'aws', regions: ['us-east-1'], ...discovery },
  });
  expect(res.status).toBe(201);
  return res.body.schedule_id;
}

async function scheduleOf(scheduleId: string) {
  const schedules = (await api('GET', '/api/v1/schedules')).body.schedules as Array<Record<string, unknown>>;
  return schedules.find((s) => s.schedule_id === scheduleId)!;
}

/** The jobs of the index that a schedule started, newest first. */
async function jobsOf(scheduleId: string) {
  const jobs = (await api('GET', '/api/v1/jobs?limit=200')).body.jobs as Array<{
    job_id: string;
    schedule_id: string | null;
    accounts: string[];
  }>;
  return jobs.filter((j) => j.schedule_id === scheduleId);
}

describe('a schedule coming due', () => {
  it('starts a job as POST /discovery would, listed and detailed with its schedule_id, and moves to the next run', async () => {
    const account = freshAccount();
    const id = await createSchedule({ accounts: [account], resource_types: ['AWS::EC2::Instance'] });
    await makeDue(id);
    const before = Date.now();
    expect(await runDurableObjectAlarm(keeper())).toBe(true);

    const [job] = await jobsOf(id);
    expect(job).toMatchObject({ status: 'pending', accounts: [account], schedule_id: id, counts: { shards_total: 1 } });
    const schedule = await scheduleOf(id);
    expect(schedule).toMatchObject({
      last_job_id: job!.job_id,
      last_skipped_at: null,
      next_run_at: new Date(nextFirstOfJanuary()).toISOString(),
    });
    expect(Date.parse(schedule.last_run_at as string)).toBeGreaterThanOrEqual(before);

    const detail = (await api('GET', `/api/v1/jobs/${job!.job_id}`)).body;
    expect(detail).toMatchObject({ schedule_id: id, resource_types: ['AWS::EC2::Instance'] });
    expect(detail.shards).toHaveLength(1);
    // A job started by hand belongs to no schedule.
    const byHand = await api('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: [freshAccount()],
      regions: ['us-east-1'],
    });
    expect((await api('GET', `/api/v1/jobs/${byHand.body.job_id}`)).body.schedule_id).toBeNull();
    expect(await runInDurableObject(keeper(), (_: ScheduleKeeper, state) => state.storage.getAlarm())).toBe(
      nextFirstOfJanuary(),
    );
  });

  it('skips a run while its previous job is open, recording why, and starts one again once that job ended', async () => {
    const id = await createSchedule({ accounts: [freshAccount()] });
    await makeDue(id);
    await runDurableObjectAlarm(keeper());
    const [first] = await jobsOf(id);

    await makeDue(id);
    await runDurableObjectAlarm(keeper());
    expect(await jobsOf(id)).toHaveLength(1);
    const skipped = await scheduleOf(id);
    expect(skipped).toMatchObject({
      last_job_id: first!.job_id,
      last_skip_reason: `the previous job ${first!.job_id} is still pending`,
      next_run_at: new Date(nextFirstOfJanuary()).toISOString(),
    });
    expect(Date.parse(skipped.last_skipped_at as string)).toBeGreaterThanOrEqual(
      Date.parse(skipped.last_run_at as string),
    );

    expect((await api('POST', `/api/v1/jobs/${first!.job_id}/cancel`)).status).toBe(200);
    await makeDue(id);
    await runDurableObjectAlarm(keeper());
    const jobs = await jobsOf(id);
    expect(jobs).toHaveLength(2);
    expect((await scheduleOf(id)).last_job_id).toBe(jobs[0]!.job_id);
  });

  it('records a job it could not start as the skip reason and keeps its next run, never throwing from the alarm', async () => {
    // No GCP agent has connected in this file's storage, so a job without accounts cannot start.
    const id = await createSchedule({ provider: 'gcp', regions: ['us-central1'] });
    await makeDue(id);
    await expect(runDurableObjectAlarm(keeper())).resolves.toBe(true);
    expect(await scheduleOf(id)).toMatchObject({
      last_job_id: null,
      last_run_at: null,
      last_skip_reason:
        'accounts: none given and no gcp agent has connected in the last 24 h; pass accounts or start an agent',
      next_run_at: new Date(nextFirstOfJanuary()).toISOString(),
    });
    expect(await jobsOf(id)).toEqual([]);
  });

  it('starts one job however often the alarm is delivered', async () => {
    const id = await createSchedule({ accounts: [freshAccount()] });
    await makeDue(id);
    await runDurableObjectAlarm(keeper());
    await runDurableObjectAlarm(keeper());
    expect(await jobsOf(id)).toHaveLength(1);
  });

  it('an alarm that died after claiming a run finishes it with the job id it claimed, and never starts a second', async () => {
    const id = await createSchedule({ accounts: [freshAccount()] });
    // Died before starting anything: the retried alarm starts the claimed job.
    const claimed = newJobId();
    await inKeeper((sql) =>
      sql.exec(
        `UPDATE schedules SET run_job_id = ?, run_started_at = ? WHERE schedule_id = ?`,
        claimed,
        Date.now(),
        id,
      ),
    );
    await runDurableObjectAlarm(keeper());
    expect((await jobsOf(id)).map((j) => j.job_id)).toEqual([claimed]);
    expect(await scheduleOf(id)).toMatchObject({ last_job_id: claimed, last_skip_reason: null });

    // Died after starting the job but before recording it: the retried alarm only records it.
    await inKeeper((sql) =>
      sql.exec(`UPDATE schedules SET run_job_id = ?, last_job_id = NULL WHERE schedule_id = ?`, claimed, id),
    );
    await runDurableObjectAlarm(keeper());
    expect((await jobsOf(id)).map((j) => j.job_id)).toEqual([claimed]);
    expect(await scheduleOf(id)).toMatchObject({ last_job_id: claimed, last_skip_reason: null });
  });
});

describe('the schedule limit', () => {
  it("counts each tenant's schedules: a tenant at the limit is refused, another still adds", async () => {
    const tenant = 'ten_schedule_limit';
    const request = {
      name: 'limit',
      cron: YEARLY,
      discovery: {
        provider: 'aws' as const,
        accounts: [freshAccount()],
        regions: ['us-east-1'],
        mode: 'smart' as const,
        sharding: { type: 'region' as const, shard_size: 1000 },
      },
    };
    await inKeeper((sql) => {
      const table = new ScheduleTable(sql);
      for (let i = 0; i < MAX_SCHEDULES; i++) {
        const now = Date.now();
        table.insert({
          ...request,
          schedule_id: newScheduleId(now),
          created_at: now,
          next_run_at: null,
          tenant_id: tenant,
        });
      }
    });
    const full = await keeper().add(request, tenant);
    expect(full).toMatchObject({ ok: false, status: 422 });
    const other = await keeper().add(request, 'ten_schedule_other');
    expect(other.ok).toBe(true);
    await inKeeper((sql) => sql.exec(`DELETE FROM schedules WHERE tenant_id IN (?, ?)`, tenant, 'ten_schedule_other'));
  });
});
