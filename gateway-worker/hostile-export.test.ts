import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { emptySummary, hashSensitive, sensitiveKeyFrom } from '../engine/index.js';
import { api, HASH_KEY, TOKEN } from '../test/support/worker/api.js';

const JOB = 'job_0hostile0export';
const XSS = '"><img src=x onerror=alert(1)>';

const summary = {
  ...emptySummary('smart', 1),
  state_resources: 1,
  managed: 1,
  changed: 1,
  by_severity: { critical: 0, high: 1, medium: 0, low: 0 },
  cost: { monthly_delta_usd: 0, currency: 'USD', source: 'list prices', as_of: '2025-01-01', estimate: true },
};

const item = {
  kind: 'changed',
  address: `aws_instance.web${XSS}`,
  state_source: 'javascript:alert(1)',
  tf_type: 'aws_instance',
  cloud_type: 'AWS::EC2::Instance',
  provider: 'aws',
  account: '111122223333',
  region: 'us-east-1',
  id: `i-1<script>alert(1)</script>`,
  changes: [{ path: 'tags.Name', expected: 'web', actual: XSS }],
  severity: 'high',
  score: 60,
  rules: [{ id: 'tags-changed', title: 'Tags changed', severity: 'low', score: 10 }],
  cost: null,
};

function exportDocument(overrides: { item?: object; job_id?: string; instances?: object[] } = {}) {
  return {
    format: 'driftmgr-export',
    version: 1,
    exported_at: '2025-01-01T00:00:00Z',
    resources: [],
    states: [
      {
        workspace: 'hostile',
        name: 'old.tfstate',
        version: 4,
        terraform_version: '1.9.5',
        serial: 1,
        lineage: null,
        data_sources_skipped: 0,
        instances: overrides.instances ?? [],
      },
    ],
    analyses: [
      {
        job_id: overrides.job_id ?? JOB,
        provider: 'aws',
        completed_at: '2025-01-01T00:00:00Z',
        summary,
        duplicates: [],
        items: [overrides.item ?? item],
      },
    ],
  };
}

async function report(format: string, query = '') {
  const res = await exports.default.fetch(
    new Request(`http://gateway.test/api/v1/drift/report?job_id=${JOB}&format=${format}${query}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    }),
  );
  return { res, text: await res.text() };
}

describe('a DriftMgr export', () => {
  it('is refused when an item or a job id is not what DriftMgr writes, naming the field', async () => {
    const badSeverity = await api('POST', '/api/v1/import', exportDocument({ item: { ...item, severity: XSS } }));
    expect(badSeverity.status).toBe(400);
    expect(badSeverity.body.error.message).toContain('analyses.0.items.0.severity');
    const badScore = await api('POST', '/api/v1/import', exportDocument({ item: { ...item, score: '<b>9</b>' } }));
    expect(badScore.status).toBe(400);
    expect(badScore.body.error.message).toContain('analyses.0.items.0.score');
    const badJob = await api('POST', '/api/v1/import', exportDocument({ job_id: 'job_1"; filename="x.html' }));
    expect(badJob.status).toBe(400);
    expect(badJob.body.error.message).toContain('analyses.0.job_id');
  });

  it('has the secrets of its states hashed under this deployment’s key', async () => {
    const instance = {
      source: 'old.tfstate',
      address: 'aws_db_instance.db',
      tfType: 'aws_db_instance',
      name: 'db',
      provider: 'p',
      tainted: false,
      attributes: { id: 'db-1', password: 'hunter2' },
    };
    expect((await api('POST', '/api/v1/import', exportDocument({ instances: [instance] }))).status).toBe(201);
    const states = (await api('GET', '/api/v1/export')).body.states;
    const restored = states.find((s: { workspace: string }) => s.workspace === 'hostile').instances[0];
    expect(restored.attributes.password).toEqual(hashSensitive('hunter2', sensitiveKeyFrom(HASH_KEY)));
    expect(JSON.stringify(states)).not.toContain('hunter2');
  });
});

describe('the report of an analysis holding hostile values', () => {
  it('serves HTML as a sandboxed, unsniffable download, inline only when asked', async () => {
    const { res, text } = await report('html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="drift-${JOB}.html"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'none'", "style-src 'unsafe-inline'", "frame-ancestors 'none'", 'sandbox'])
      expect(csp).toContain(directive);
    expect(text).not.toMatch(/<(img|script)/i);
    expect(text).toContain('&lt;script&gt;');
    const inline = await report('html', '&inline=true');
    expect(inline.res.headers.get('content-disposition')).toBe(`inline; filename="drift-${JOB}.html"`);
  });

  it('keeps the other formats inline, with the same policy and no live values', async () => {
    const markdown = await report('markdown');
    expect(markdown.res.headers.get('content-disposition')).toBe(`inline; filename="drift-${JOB}.md"`);
    expect(markdown.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(markdown.text).toContain(`\`${XSS}\``);
    const sarif = JSON.parse((await report('sarif')).text);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('javascript%3Aalert(1)');
  });
});
