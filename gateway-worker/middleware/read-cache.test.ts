import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, TOKEN } from '../../test/support/worker/api.js';
import { importState, instance, scan } from '../../test/support/worker/scan.js';
import { matchesIfNoneMatch } from './read-cache.js';

const ACCOUNT = '313131313131';
const REGION = 'eu-west-1';
const web = instance(ACCOUNT, REGION, 'i-web', 't3.micro');
const stray = instance(ACCOUNT, REGION, 'i-stray', 't3.nano');
/** The cloud as scanned: i-web resized behind Terraform's back, i-stray unmanaged. */
const ESTATE = [instance(ACCOUNT, REGION, 'i-web', 't3.large'), stray];

async function get(path: string, etag?: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (etag) headers['if-none-match'] = etag;
  return exports.default.fetch(new Request(`http://gateway.test${path}`, { headers }));
}

/** Each cached read, every report format among them. */
const reads = (jobId: string) => [
  '/api/v1/resources/summary',
  `/api/v1/drift?job_id=${jobId}`,
  '/api/v1/drift?limit=1&severity=low',
  ...['json', 'markdown', 'sarif', 'html', 'codify'].map((f) => `/api/v1/drift/report?job_id=${jobId}&format=${f}`),
  '/api/v1/drift/report',
  '/api/v1/trends',
  '/api/v1/trends?provider=aws&since=2020-01-01T00:00:00Z',
];

/** The ETag of each read, checking that it is strong and that clients are asked to revalidate. */
async function etagsOf(paths: string[]): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  for (const path of paths) {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    await res.arrayBuffer();
    const etag = res.headers.get('etag');
    expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get('cache-control'), path).toBe('private, no-cache');
    tags.set(path, etag!);
  }
  return tags;
}

/** After a change: every read answers 200 with a new ETag to its old one, none a stale 304. */
async function expectAllChanged(before: Map<string, string>): Promise<Map<string, string>> {
  for (const [path, etag] of before) {
    const res = await get(path, etag);
    expect(res.status, path).toBe(200);
    await res.arrayBuffer();
    expect(res.headers.get('etag'), path).not.toBe(etag);
  }
  return etagsOf([...before.keys()]);
}

describe('cached reads', () => {
  let jobId: string;
  beforeAll(async () => {
    await importState('cached', [web]);
    jobId = await scan({ account: ACCOUNT, regions: [REGION], types: ['AWS::EC2::Instance'] }, ESTATE);
  }, 60_000);

  it('answers If-None-Match with the current ETag by 304 without a body, and a stale one by 200', async () => {
    const tags = await etagsOf(reads(jobId));
    expect(new Set(tags.values()).size).toBe(tags.size);
    for (const [path, etag] of tags) {
      const res = await get(path, etag);
      expect(res.status, path).toBe(304);
      expect(await res.text(), path).toBe('');
      expect(res.headers.get('etag'), path).toBe(etag);
      expect((await get(path, `"0000", W/${etag}`)).status, path).toBe(304);
      expect((await get(path, '"0000"')).status, path).toBe(200);
    }
  });

  it('serves a stored answer to another request without computing it again', async () => {
    const first = await (await get('/api/v1/resources/summary')).json();
    // A change no write of the API makes: the read version does not see it, the stored answer stands.
    await env.DB.prepare("UPDATE analyses SET summary = json_set(summary, '$.changed', 999) WHERE job_id = ?")
      .bind(jobId)
      .run();
    try {
      expect(await (await get('/api/v1/resources/summary')).json()).toEqual(first);
    } finally {
      await env.DB.prepare("UPDATE analyses SET summary = json_set(summary, '$.changed', 1) WHERE job_id = ?")
        .bind(jobId)
        .run();
    }
  });

  it('changes every ETag when drift is acknowledged, the ignore rules change, and an analysis completes', async () => {
    let tags = await etagsOf(reads(jobId));
    const key = `aws|${ACCOUNT}|${REGION}|AWS::EC2::Instance|i-web`;
    expect((await api('POST', '/api/v1/drift/ack', { resource_key: key, reason: 'planned resize' })).status).toBe(201);
    tags = await expectAllChanged(tags);

    const rules = { driftignore: 'aws_instance.stray\n', rules: [] };
    expect((await api('PUT', '/api/v1/ignore', rules)).status).toBe(200);
    tags = await expectAllChanged(tags);

    const next = await scan({ account: ACCOUNT, regions: [REGION], types: ['AWS::EC2::Instance'] }, ESTATE);
    expect(next).not.toBe(jobId);
    await expectAllChanged(tags);
  }, 60_000);

  it('gives no ETag to a read that failed, nor to a route it does not cache', async () => {
    const missing = await get('/api/v1/drift/report?job_id=job_0none');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
    const jobs = await get('/api/v1/jobs');
    expect(jobs.status).toBe(200);
    expect(jobs.headers.get('etag')).toBeNull();
  });
});

describe('If-None-Match', () => {
  it('matches a listed tag, a weak form of it, or *, and nothing else', () => {
    const etag = '"abc"';
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
    expect(matchesIfNoneMatch('"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('"x", W/"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
    expect(matchesIfNoneMatch('"abcd", "ab"', etag)).toBe(false);
    expect(matchesIfNoneMatch('abc', etag)).toBe(false);
  });
});
