import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../test/support/worker/api.js';

/**
 * Property-based fuzzing of every route that takes a JSON body, listed from the OpenAPI document
 * the gateway serves: arbitrary JSON, wrong types, huge strings, deep nesting, text that is not
 * JSON and one-field mutations of a valid body, all with the admin token. A route never answers
 * 5xx, answers every 4xx with {error:{code,message}}, and a refused request writes nothing.
 */

const RUNS_PER_ENDPOINT = 30;
const API_PREFIX = '/api/v1';

interface Endpoint {
  method: string;
  path: string;
  /** Query parameters the route requires, filled so the body is what gets judged. */
  query: string;
}

/** Valid bodies to mutate; other routes get mutations of an empty object. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /discovery': {
    provider: 'aws',
    accounts: ['123456789012'],
    regions: ['us-east-1'],
    resource_types: ['AWS::EC2::Instance'],
  },
  'POST /tokens': { role: 'agent', provider: 'aws', accounts: ['123456789012'], expires_in: 3600 },
  'POST /notifications': { type: 'webhook', url: 'https://hooks.example.com/x', min_severity: 'high' },
};

interface OpenApiOperation {
  requestBody?: { content?: Record<string, unknown> };
  parameters?: { in: string; name: string; required?: boolean }[];
}

async function jsonEndpoints(): Promise<Endpoint[]> {
  const doc = await api('GET', `${API_PREFIX}/openapi.json`);
  expect(doc.status).toBe(200);
  const endpoints: Endpoint[] = [];
  for (const [path, item] of Object.entries(doc.body.paths as Record<string, Record<string, OpenApiOperation>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op.requestBody?.content?.['application/json']) continue;
      const query = (op.parameters ?? [])
        .filter((p) => p.in === 'query' && p.required)
        .map((p) => `${p.name}=fuzz`)
        .join('&');
      endpoints.push({
        method: method.toUpperCase(),
        path: path.replace(/\{[^}]+\}/g, 'fuzz-missing-id'),
        query: query ? `?${query}` : '',
      });
    }
  }
  return endpoints;
}

/** Rows of every table a request could write, and the lists kept outside them. */
async function snapshot(): Promise<string> {
  const tables = ['jobs', 'states', 'api_tokens', 'notifications', 'state_sources', 'imports', 'drift_acks'];
  const counts = await env.DB.prepare(
    `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`,
  ).first();
  const settings = await env.DB.prepare('SELECT key, value FROM settings ORDER BY key').all();
  const schedules = await api('GET', `${API_PREFIX}/schedules`);
  const ignore = await api('GET', `${API_PREFIX}/ignore`);
  return JSON.stringify({ counts, settings: settings.results, schedules: schedules.body, ignore: ignore.body });
}

function deeplyNested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const wrongTypes = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.array(fc.jsonValue()),
);

/** A body as sent: JSON text, or raw text that may not be JSON at all. */
function bodies(valid: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = [...Object.keys(valid), 'unknown_field'];
  return fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    wrongTypes.map((v) => JSON.stringify(v)),
    fc.string(),
    fc.integer({ min: 10_000, max: 2_000_000 }).map((n) => JSON.stringify({ [keys[0]!]: 'x'.repeat(n) })),
    fc.integer({ min: 50, max: 3_000 }).map((d) => JSON.stringify(deeplyNested(d, 'leaf'))),
    fc
      .record({ key: fc.constantFrom(...keys), value: fc.oneof(wrongTypes, fc.jsonValue()) })
      .map(({ key, value }) => JSON.stringify({ ...valid, [key]: value })),
    fc.constantFrom(...keys).map((key) => {
      const { [key]: _, ...rest } = valid;
      return JSON.stringify(rest);
    }),
  );
}

let endpoints: Endpoint[];

beforeAll(async () => {
  endpoints = await jsonEndpoints();
  console.log(`JSON fuzz: ${endpoints.length} endpoints × ${RUNS_PER_ENDPOINT} runs`);
});

describe('every JSON endpoint under arbitrary bodies', () => {
  it('lists the JSON routes from the OpenAPI document', () => {
    expect(endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/discovery', 'POST /api/v1/tokens', 'POST /api/v1/notifications']),
    );
  });

  it('never answers 5xx, always a JSON error on 4xx, and writes nothing when refused', async () => {
    for (const endpoint of endpoints) {
      const key = `${endpoint.method} ${endpoint.path.slice(API_PREFIX.length)}`;
      await fc.assert(
        fc.asyncProperty(bodies(VALID_BODIES[key] ?? {}), async (body) => {
          const before = await snapshot();
          const res = await api(endpoint.method, `${endpoint.path}${endpoint.query}`, body);
          const context = `${key} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`;
          expect(res.status, context).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body?.error, context).toMatchObject({ code: expect.any(String), message: expect.any(String) });
            expect(await snapshot(), context).toBe(before);
          }
        }),
        { numRuns: RUNS_PER_ENDPOINT, seed: 20261128 },
      );
    }
  }, 120_000);
});
