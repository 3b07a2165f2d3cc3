import { describe, expect, it } from 'vitest';
import { api } from '../../test/support/worker/api.js';

const SIX_HOURS_MS = 6 * 3600 * 1000;
/** When `0 *\/6 * * *` fires next after `t`: the next whole multiple of six hours, UTC. */
const nextSixHourly = (t: number) => new Date((Math.floor(t / SIX_HOURS_MS) + 1) * SIX_HOURS_MS).toISOString();

const discovery = { provider: 'aws', accounts: ['123456789012'], regions: ['us-east-1'] };

const listed = async () => (await api('GET', '/api/v1/schedules')).body.schedules as Array<Record<string, unknown>>;

describe('schedules API', () => {
  it('creates a schedule, lists it with its discovery as POST /discovery would read it, and deletes it', async () => {
    const before = Date.now();
    const created = await api('POST', '/api/v1/schedules', { name: 'prod every 6 h', cron: '0 */6 * * *', discovery });
    const after = Date.now();
    expect(created.status).toBe(201);
    expect(created.body.schedule_id).toMatch(/^sch_[0-9a-z]+$/);
    expect([nextSixHourly(before), nextSixHourly(after)]).toContain(created.body.next_run_at);

    const schedule = (await listed()).find((s) => s.schedule_id === created.body.schedule_id);
    expect(schedule).toEqual({
      schedule_id: created.body.schedule_id,
      name: 'prod every 6 h',
      cron: '0 */6 * * *',
      // The request's defaults filled in, as the job will be started with them.
      discovery: { ...discovery, mode: 'smart', sharding: { type: 'region', shard_size: 1000 } },
      next_run_at: created.body.next_run_at,
      last_run_at: null,
      last_job_id: null,
      last_skipped_at: null,
      last_skip_reason: null,
      created_at: expect.any(String),
    });
    expect(Date.parse(schedule!.created_at as string)).toBeGreaterThanOrEqual(before - 1);

    const deleted = await api('DELETE', `/api/v1/schedules/${created.body.schedule_id}`);
    expect(deleted.status).toBe(204);
    expect((await listed()).map((s) => s.schedule_id)).not.toContain(created.body.schedule_id);
    const again = await api('DELETE', `/api/v1/schedules/${created.body.schedule_id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    expect((await api('DELETE', '/api/v1/schedules/no-such-schedule')).status).toBe(404);
  });

  it('refuses a cron that is not five valid fields, or never fires, with 400 naming cron, and keeps nothing', async () => {
    const count = (await listed()).length;
    for (const cron of ['every hour', '*/5 * * * * *', '@hourly', '61 * * * *', '0 0 30 2 *']) {
      const res = await api('POST', '/api/v1/schedules', { name: 'bad', cron, discovery });
      expect(res.status, cron).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message, cron).toMatch(/^cron: /);
    }
    const sixFields = await api('POST', '/api/v1/schedules', { name: 'bad', cron: '*/5 * * * * *', discovery });
    expect(sixFields.body.error.message).toBe(
      'cron: five fields expected (minute hour day-of-month month day-of-week, in UTC), got 6',
    );
    const never = await api('POST', '/api/v1/schedules', { name: 'bad', cron: '0 0 30 2 *', discovery });
    expect(never.body.error.message).toBe("cron: '0 0 30 2 *' never fires");
    expect((await listed()).length).toBe(count);
  });

  it('checks the discovery body as POST /discovery does, naming the field under discovery', async () => {
    const count = (await listed()).length;
    const missingRegions = await api('POST', '/api/v1/schedules', {
      name: 'x',
      cron: '0 * * * *',
      discovery: { provider: 'aws' },
    });
    expect(missingRegions.status).toBe(400);
    expect(missingRegions.body.error.message).toContain('discovery.regions');

    const unknownType = await api('POST', '/api/v1/schedules', {
      name: 'x',
      cron: '0 * * * *',
      discovery: { ...discovery, resource_types: ['AWS::EC2::Nothing'] },
    });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.message).toBe('discovery.resource_types: unknown aws type(s) AWS::EC2::Nothing');

    const accounts = Array.from({ length: 1000 }, (_, i) => String(600_000_000_000 + i));
    const regions = Array.from({ length: 100 }, (_, i) => `region-${i}`);
    const tooBig = await api('POST', '/api/v1/schedules', {
      name: 'x',
      cron: '0 * * * *',
      discovery: { ...discovery, accounts, regions },
    });
    expect(tooBig.status).toBe(422);
    // One shard per account and region, and one per account for the global types (IAM, S3, CloudFront).
    expect(tooBig.body.error.message).toMatch(/^discovery: the job would have 101000 shards/);

    const noName = await api('POST', '/api/v1/schedules', { cron: '0 * * * *', discovery });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toContain('name');
    expect((await listed()).length).toBe(count);
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = (await api('GET', '/api/v1/openapi.json', undefined, null)).body;
    expect(Object.keys(doc.paths['/api/v1/schedules'])).toEqual(['post', 'get']);
    expect(Object.keys(doc.paths['/api/v1/schedules/{schedule_id}'])).toEqual(['delete']);
  });
});
