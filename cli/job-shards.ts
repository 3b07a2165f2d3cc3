import { JOB_SHARDS_PAGE, type JobDetail } from '../contract/api.js';

export interface ShardPageQuery {
  shards_limit: number;
  shards_cursor?: string;
}

/**
 * The job with every one of its shards: a job detail lists one page of them, so this reads
 * page after page. The job's fields are those of the last page, the newest read.
 */
export async function jobWithAllShards(readPage: (query: ShardPageQuery) => Promise<JobDetail>): Promise<JobDetail> {
  const shards: JobDetail['shards'] = [];
  let query: ShardPageQuery = { shards_limit: JOB_SHARDS_PAGE.max };
  for (;;) {
    const page = await readPage(query);
    shards.push(...page.shards);
    if (page.shards_next_cursor === null) return { ...page, shards };
    query = { shards_limit: JOB_SHARDS_PAGE.max, shards_cursor: page.shards_next_cursor };
  }
}
