import { describe, expect, it } from 'vitest';
import { JOB_SHARDS_PAGE } from '../../contract/api.js';
import { api, startJob } from '../../test/support/worker/api.js';

let accountSeq = 400_000_000_000;
const freshAccounts = (n: number) => Array.from({ length: n }, () => String(accountSeq++));

describe('job detail shard pages', () => {
  it('walks every shard page by page, in plan order, with no duplicate and no gap; counts cover them all', async () => {
    const accounts = freshAccounts(250);
    const job = await startJob({ accounts });
    const ids: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&shards_cursor=${encodeURIComponent(cursor)}`;
      const res = await api('GET', `/api/v1/jobs/${job.job_id}?shards_limit=100${query}`);
      expect(res.status).toBe(200);
      expect(res.body.counts.shards_total).toBe(250);
      ids.push(...res.body.shards.map((s: { shard_id: string }) => s.shard_id));
      sizes.push(res.body.shards.length);
      cursor = res.body.shards_next_cursor;
    } while (cursor !== null);
    expect(sizes).toEqual([100, 100, 50]);
    expect(ids).toEqual(accounts.map((_, i) => `${job.job_id}.${i}`));
  });

  it(`lists ${JOB_SHARDS_PAGE.default} shards unless asked otherwise, none for shards_limit=0`, async () => {
    const job = await startJob({ accounts: freshAccounts(JOB_SHARDS_PAGE.default + 1) });
    const first = await api('GET', `/api/v1/jobs/${job.job_id}`);
    expect(first.body.shards).toHaveLength(JOB_SHARDS_PAGE.default);
    expect(first.body.shards_next_cursor).toBe(first.body.shards.at(-1).shard_id);
    const last = await api(
      'GET',
      `/api/v1/jobs/${job.job_id}?shards_cursor=${encodeURIComponent(first.body.shards_next_cursor)}`,
    );
    expect(last.body.shards.map((s: { shard_id: string }) => s.shard_id)).toEqual([
      `${job.job_id}.${JOB_SHARDS_PAGE.default}`,
    ]);
    expect(last.body.shards_next_cursor).toBeNull();

    const countsOnly = await api('GET', `/api/v1/jobs/${job.job_id}?shards_limit=0`);
    expect(countsOnly.body).toMatchObject({ shards: [], counts: { shards_total: JOB_SHARDS_PAGE.default + 1 } });
  });

  it('refuses a limit over the most and a cursor it never gave with 400', async () => {
    const job = await startJob({ accounts: freshAccounts(1) });
    const tooMany = await api('GET', `/api/v1/jobs/${job.job_id}?shards_limit=${JOB_SHARDS_PAGE.max + 1}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('shards_limit');
    const foreign = await api('GET', `/api/v1/jobs/${job.job_id}?shards_cursor=job_0x.7`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('shards_cursor'),
    });
  });
});
