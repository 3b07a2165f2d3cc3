import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { generateEstate } from '../emulator/estate.js';
import { buildTerraformState } from '../emulator/terraform-state.js';
import { api, TOKEN } from '../test/support/worker/api.js';

/** The workers tests set IMPORT_STREAM_THRESHOLD_BYTES to this (vitest.workers.config.ts). */
const THRESHOLD = 3_000_000;
/** The consumer reads a few MB in seconds; the tests that send them wait longer than the default. */
const SLOW = 60_000;
const LINEAGE = 'aa11aa11-0000-4000-8000-0000000000aa';
const encoder = new TextEncoder();

/** A body sent as a stream, without Content-Length, as `driftmgr import` sends files. */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 256 * 1024));
      offset += 256 * 1024;
    },
  });
}

async function post(query: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(
    new Request(`http://gateway.test/api/v1/import${query}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${TOKEN}`, ...headers },
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit),
  );
  return { status: res.status, body: (await res.json()) as any, location: res.headers.get('location') };
}

const streamed = (query: string, text: string) =>
  post(query, streamOf(encoder.encode(text)), { 'content-type': 'application/json' });

/** The import once the consumer has ended it. */
async function ended(importId: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await api('GET', `/api/v1/imports/${importId}`);
    if (res.body.status === 'completed' || res.body.status === 'failed' || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A v4 state of `count` EBS volumes, each with enough tags to make it about `bytesEach` long. */
function volumes(count: number, serial: number, bytesEach = 100, lineage = LINEAGE) {
  const resources = Array.from({ length: count }, (_, i) => ({
    mode: 'managed',
    type: 'aws_ebs_volume',
    name: `v${i}`,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [
      {
        schema_version: 0,
        attributes: { id: `vol-${i}`, size: 8, tags: { Name: `v${i}`, Padding: 'x'.repeat(bytesEach) } },
        sensitive_attributes: [],
      },
    ],
  }));
  return { version: 4, terraform_version: '1.9.5', serial, lineage, outputs: {}, resources };
}

/** The stored rows of the active state of a workspace and name, as written. */
async function storedRows(workspace: string, name: string) {
  const { results } = await env.DB.prepare(
    `SELECT i.seq, i.tf_type, i.address, i.account, i.slot, i.body FROM state_instances i
     JOIN states s ON s.state_id = i.state_id
     WHERE s.workspace = ? AND s.name = ? AND s.status = 'active' ORDER BY i.seq`,
  )
    .bind(workspace, name)
    .all();
  return results;
}

async function importingStates(): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM states WHERE status = 'importing'`).first<{
    n: number;
  }>();
  return row!.n;
}

describe('a state imported streamed', () => {
  it(
    'is read by the consumer into exactly the rows and answer a synchronous import gives',
    async () => {
      const { resources } = generateEstate({ seed: 3, resources: 1200 });
      const text = JSON.stringify(buildTerraformState(resources, { seed: 3 }).state);
      expect(text.length).toBeLessThan(THRESHOLD);
      const sync = await post('?workspace=sync&name=estate.tfstate', text, { 'content-type': 'application/json' });
      expect(sync.status).toBe(201);

      const accepted = await streamed('?workspace=streamed&name=estate.tfstate', text);
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({
        status: 'queued',
        workspace: 'streamed',
        files: [{ name: 'estate.tfstate' }],
      });
      expect(accepted.location).toBe(`/api/v1/imports/${accepted.body.import_id}`);
      const done = await ended(accepted.body.import_id);
      expect(done.status).toBe('completed');

      const answer = ({ state_id: _id, imported_at: _at, workspace: _w, ...rest }: any) => rest;
      expect(done.result.states.map(answer)).toEqual(sync.body.states.map(answer));
      const [syncRows, streamedRows] = [
        await storedRows('sync', 'estate.tfstate'),
        await storedRows('streamed', 'estate.tfstate'),
      ];
      expect(streamedRows.length).toBe(sync.body.states[0].instances);
      expect(streamedRows.filter((r) => r.account !== null).length).toBeGreaterThan(0);
      expect(streamedRows).toEqual(syncRows);
    },
    SLOW,
  );

  it(
    'takes a multipart form over the threshold a part at a time and drops the upload once read',
    async () => {
      const text = JSON.stringify(volumes(5000, 1, 1100));
      expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
      const form = new FormData();
      form.append('file', new File([text], 'big.tfstate'));
      const accepted = await post('?workspace=multipart', form);
      expect(accepted.status).toBe(202);
      expect(accepted.body.files).toEqual([{ name: 'big.tfstate', bytes: encoder.encode(text).length }]);
      const done = await ended(accepted.body.import_id);
      expect(done).toMatchObject({ status: 'completed', error: null });
      expect(done.result.states).toMatchObject([{ name: 'big.tfstate', serial: 1, lineage: LINEAGE, instances: 5000 }]);
      expect((await storedRows('multipart', 'big.tfstate')).length).toBe(5000);
      expect((await env.STATE_UPLOADS.list({ prefix: `imports/${accepted.body.import_id}/` })).objects).toEqual([]);
    },
    SLOW,
  );

  it('reads a state whose version comes after its resources (keys sorted)', async () => {
    const { version, ...rest } = volumes(3, 1);
    const accepted = await streamed('?workspace=sorted', JSON.stringify({ ...rest, version }));
    const done = await ended(accepted.body.import_id);
    expect(done.result.states).toMatchObject([{ version: 4, serial: 1, instances: 3 }]);
  });

  it('answers 404 for an import it does not know', async () => {
    expect((await api('GET', '/api/v1/imports/imp_nosuch')).status).toBe(404);
  });
});

describe('a streamed import that fails', () => {
  it('leaves the active state as it was when the file is truncated, saying so', async () => {
    expect(
      (await post('?workspace=broken', JSON.stringify(volumes(5, 1)), { 'content-type': 'application/json' })).status,
    ).toBe(201);
    const before = await storedRows('broken', 'terraform.tfstate');
    const text = JSON.stringify(volumes(4000, 2));
    const accepted = await streamed('?workspace=broken', text.slice(0, Math.floor(text.length * 0.8)));
    const done = await ended(accepted.body.import_id);
    expect(done).toMatchObject({
      status: 'failed',
      result: null,
      error: { code: 'bad_request', message: expect.stringContaining('truncated'), details: { reason: 'not_json' } },
    });
    expect(await storedRows('broken', 'terraform.tfstate')).toEqual(before);
    expect(await importingStates()).toBe(0);
  });

  it('refuses a state Terraform would not load, past the first batch of instances written', async () => {
    const state = volumes(2500, 3);
    state.resources.push({ mode: 'weird' } as never);
    const accepted = await streamed('?workspace=broken', JSON.stringify(state));
    const done = await ended(accepted.body.import_id);
    expect(done.error).toMatchObject({ code: 'unprocessable', message: expect.stringContaining('has mode "weird"') });
    expect((await storedRows('broken', 'terraform.tfstate')).length).toBe(5);
    expect(await importingStates()).toBe(0);
  });

  it(
    'keeps the lineage and serial rules of the synchronous import',
    async () => {
      const other = 'bb000000-0000-4000-8000-0000000000bb';
      const first = await ended((await streamed('?workspace=rules', JSON.stringify(volumes(3, 5)))).body.import_id);
      expect(first.status).toBe('completed');
      const older = await ended((await streamed('?workspace=rules', JSON.stringify(volumes(3, 4)))).body.import_id);
      expect(older.error).toMatchObject({
        code: 'state_conflict',
        message: expect.stringContaining('serial 4 is older'),
      });
      const clash = await ended(
        (await streamed('?workspace=rules', JSON.stringify(volumes(3, 1, 10, other)))).body.import_id,
      );
      expect(clash.error).toMatchObject({ code: 'state_conflict', message: expect.stringContaining(other) });
      // Lineage and serial after the resources are checked once they are read, before anything is active.
      const { lineage, serial, ...early } = volumes(2, 1, 10, other);
      const late = await ended(
        (await streamed('?workspace=rules', JSON.stringify({ ...early, lineage, serial }))).body.import_id,
      );
      expect(late.error).toMatchObject({ code: 'state_conflict' });
      expect(
        (await api('GET', '/api/v1/states')).body.states.filter((s: any) => s.workspace === 'rules'),
      ).toMatchObject([{ serial: 5, lineage: LINEAGE, instances: 3 }]);
      const forced = await ended(
        (await streamed('?workspace=rules&replace=true', JSON.stringify(volumes(2, 1, 10, other)))).body.import_id,
      );
      expect(forced.result.states).toMatchObject([{ serial: 1, lineage: other, instances: 2 }]);
      expect(await importingStates()).toBe(0);
    },
    SLOW,
  );
});
