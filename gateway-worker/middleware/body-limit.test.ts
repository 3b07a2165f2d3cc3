import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { TOKEN } from '../../test/support/worker/api.js';
import { MAX_STREAMED_IMPORT_BYTES } from '../imports/upload.js';

const MB = 1024 * 1024;

/** A JSON body of about this many bytes. */
const jsonOf = (bytes: number) =>
  JSON.stringify({ provider: 'aws', regions: ['us-east-1'], padding: 'x'.repeat(bytes) });

/** The same bytes as a stream: no Content-Length, so the limit counts what arrives. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

async function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(
    new Request(`http://gateway.test${path}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      // A stream body needs it; a string ignores it.
      duplex: 'half',
    } as RequestInit),
  );
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('request body limits', () => {
  it('refuses a JSON API body over 1 MB with 413 and the JSON error shape, declared or streamed', async () => {
    for (const body of [jsonOf(2 * MB), streamOf(jsonOf(2 * MB))]) {
      const res = await post('/api/v1/discovery', body);
      expect(res).toEqual({
        status: 413,
        body: { error: { code: 'payload_too_large', message: 'a request body may be at most 1 MB' } },
      });
    }
  });

  it('refuses an oversized body before authentication, and on routes without a body schema', async () => {
    expect((await post('/api/v1/jobs/job_0x/cancel', jsonOf(2 * MB), { authorization: 'Bearer wrong' })).status).toBe(
      413,
    );
    expect((await post('/health', jsonOf(2 * MB))).status).toBe(413);
  });

  it('lets a body under the limit through to the route', async () => {
    // The route's own validation answers: the padding is not a field of a discovery request.
    const res = await post('/api/v1/discovery', jsonOf(MB / 2));
    expect(res.status).not.toBe(413);
    expect(res.body.error?.code).not.toBe('payload_too_large');
  });

  it('keeps the larger limits of results chunks and imports', async () => {
    const chunk = await post(
      '/api/v1/shards/job_0nosuchjob.0/results',
      JSON.stringify({ lease_id: 'l', sequence: 0, resources: [], padding: 'x'.repeat(2 * MB) }),
    );
    expect(chunk.status).toBe(404);
    const tooBig = await post('/api/v1/shards/job_0nosuchjob.0/results', streamOf('x'.repeat(17 * MB)));
    expect(tooBig).toEqual({
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'a results chunk may be at most 16 MB' } },
    });
    const state = JSON.stringify({
      version: 4,
      serial: 1,
      lineage: 'ab000000-0000-4000-8000-00000000b0d1',
      resources: [],
      padding: 'x'.repeat(2 * MB),
    });
    expect((await post('/api/v1/import?workspace=big', state)).status).toBe(201);
    // An import beyond what the upload bucket takes in one object (10,000 parts of 5 MB) is refused as declared.
    const hugeImport = await post('/api/v1/import', 'x', { 'content-length': String(MAX_STREAMED_IMPORT_BYTES + 1) });
    expect(hugeImport).toEqual({
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'an import may be at most 50000 MB' } },
    });
  });
});
