import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { streamedStateForm } from '../cli/multipart-upload.js';
import type { ImportJob } from '../contract/imports.js';
import { generateEstate } from '../emulator/estate.js';
import { buildTerraformState } from '../emulator/terraform-state.js';
import { StreamedAccounts, sensitiveKeyFrom } from '../engine/index.js';
import { readStateStream } from '../gateway-worker/imports/state-stream.js';
import {
  applyLocalMigrations,
  bundleWorker,
  ensureAdminToken,
  startWranglerDev,
  waitForGateway,
} from '../scripts/local-stack.js';
import { freePort } from '../test/support/free-port.js';

/** Bytes of pretty-printed state the emulator writes per estate resource (measured: 197 MB for 228,600). */
const BYTES_PER_RESOURCE = 862;

/** What a written state holds: its size and its managed instances, per Terraform type. */
interface WrittenState {
  bytes: number;
  instances: number;
  byType: Record<string, number>;
}

/**
 * Writes the sample estate's Terraform state of about `targetMb` MB, pretty-printed as
 * `driftmgr-emulator --write-state` writes it, a resource at a time (the text is never whole).
 */
async function writeLargeState(file: string, targetMb: number): Promise<WrittenState> {
  const { resources } = generateEstate({ seed: 7, resources: Math.ceil((targetMb * 1e6) / BYTES_PER_RESOURCE) });
  const { state } = buildTerraformState(resources, { seed: 7 });
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const { resources: entries, check_results, ...header } = state;
  await write(`${JSON.stringify(header, null, 2).slice(0, -2)},\n  "resources": [\n`);
  const byType: Record<string, number> = {};
  let instances = 0;
  for (const [i, r] of entries.entries()) {
    if (r.mode === 'managed') {
      byType[r.type] = (byType[r.type] ?? 0) + r.instances.length;
      instances += r.instances.length;
    }
    await write(`${i > 0 ? ',\n' : ''}    ${JSON.stringify(r, null, 2).replaceAll('\n', '\n    ')}`);
  }
  await write(`\n  ],\n  "check_results": ${JSON.stringify(check_results)}\n}\n`);
  out.end();
  await once(out, 'finish');
  return { bytes: statSync(file).size, instances, byType };
}

/**
 * The consumer's read path run in this process over the file: the streaming parser, each
 * instance decoded, redacted and pruned, its account tracked (the batches are dropped rather
 * than written). Its peak V8 heap above the heap before, in MB: what stays reachable (sampled
 * after a collection at each batch), and with the garbage not yet collected.
 */
async function readPathHeapMb(file: string): Promise<{ live: number; withGarbage: number }> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let peakLive = before;
  const accounts = new StreamedAccounts();
  let seq = 0;
  await readStateStream({
    source: 'estate.tfstate',
    key: sensitiveKeyFrom('bench'),
    open: async () => Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    beforeEntries: () => {},
    sink: async (batch) => {
      for (const instance of batch) accounts.add(instance, seq++);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      // What is still reachable after a collection: the memory the read really holds.
      gc();
      peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
    },
  });
  const mb = (bytes: number) => Math.round((bytes - before) / 1e6);
  return { live: mb(peakLive), withGarbage: mb(peak) };
}

/** Every process descended from `pid` (wrangler starts workerd, which runs the Worker). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0; ) {
    frontier = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...frontier);
  }
  return found;
}

/** Resident set of the workerd processes under `pid`, in MB: now (VmRSS) or their peak so far (VmHWM). */
function workerdMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  let kb = 0;
  for (const child of descendants(pid)) {
    try {
      if (!readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('workerd')) continue;
      kb += Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return Math.round(kb / 1024);
}

/** Stored instances of the workspace's active states per Terraform type, read from the local D1 database. */
function storedByType(persistDir: string, workspace: string): Record<string, number> {
  const sql =
    'SELECT i.tf_type AS t, count(*) AS n FROM state_instances i JOIN states s ON s.state_id = i.state_id ' +
    `WHERE s.status = 'active' AND s.workspace = '${workspace}' GROUP BY i.tf_type`;
  const result = spawnSync(
    join('node_modules', '.bin', 'wrangler'),
    ['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--json', '--command', sql],
    { encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`reading the stored instances failed: ${result.stderr}`);
  const [{ results }] = JSON.parse(result.stdout) as [{ results: { t: string; n: number }[] }];
  return Object.fromEntries(results.map((r) => [r.t, r.n]));
}

const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys({ ...a, ...b }).every((k) => a[k] === b[k]);

/**
 * A Terraform state of about `targetMb` MB (the sample estate's) imported through the local
 * stack as `driftmgr import` sends it: streamed from disk, kept in local R2, read by the queue
 * consumer. Wall time of the upload and of the whole import, the workerd process's resident
 * memory before and at its peak, and whether the stored instances match the file's, type by type.
 */
export async function benchStateImport(targetMb = 200) {
  const dir = mkdtempSync(join(tmpdir(), 'driftmgr-bench-import-'));
  const file = join(dir, 'estate.tfstate');
  const persistDir = join(dir, 'persist');
  const written = await writeLargeState(file, targetMb);
  const port = await freePort();
  const token = ensureAdminToken();
  applyLocalMigrations(persistDir);
  // A bundle of its own: edits to the checkout never reload the Worker mid-import.
  const bundle = bundleWorker(join(dir, 'worker'));
  const dev = startWranglerDev(
    ['--port', String(port), '-c', 'wrangler.toml', bundle, '--no-bundle'],
    'pipe',
    persistDir,
  );
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${token}` };
  try {
    await waitForGateway(base);
    const baseline = workerdMb(dev.pid!, 'VmRSS');
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, workerdMb(dev.pid!, 'VmRSS'));
    }, 250);
    const started = performance.now();
    const form = await streamedStateForm([file]);
    const res = await fetch(`${base}/api/v1/import?workspace=bench`, {
      method: 'POST',
      body: form.body,
      duplex: 'half',
      headers: { ...auth, 'content-type': form.contentType, 'content-length': String(form.length) },
    } as RequestInit);
    if (res.status !== 202) throw new Error(`the import answered ${res.status}: ${await res.text()}`);
    let job = (await res.json()) as ImportJob;
    const uploaded = performance.now();
    while (job.status === 'queued' || job.status === 'importing') {
      await new Promise((r) => setTimeout(r, 500));
      job = (await (await fetch(`${base}/api/v1/imports/${job.import_id}`, { headers: auth })).json()) as ImportJob;
    }
    const ended = performance.now();
    clearInterval(sampler);
    if (job.status !== 'completed') throw new Error(`the import failed: ${JSON.stringify(job.error)}`);
    const stored = storedByType(persistDir, 'bench');
    const seconds = (ms: number) => Math.round(ms / 100) / 10;
    const readHeap = await readPathHeapMb(file);
    const figures = {
      state_mb: Math.round(written.bytes / 1e5) / 10,
      instances_in_file: written.instances,
      instances_stored: Object.values(stored).reduce((a, b) => a + b, 0),
      instances_reported: job.result!.states[0]!.instances,
      stored_equal_file_by_type: sameCounts(stored, written.byType),
      upload_seconds: seconds(uploaded - started),
      total_seconds: seconds(ended - started),
      mb_per_second: Math.round((written.bytes / 1e6 / ((ended - started) / 1000)) * 10) / 10,
      workerd_rss_baseline_mb: baseline,
      workerd_rss_peak_mb: peak,
      workerd_rss_hwm_mb: workerdMb(dev.pid!, 'VmHWM'),
      read_path_live_heap_peak_mb: readHeap.live,
      read_path_heap_peak_with_garbage_mb: readHeap.withGarbage,
    };
    process.stderr.write(`${JSON.stringify({ bench: 'state_import', ...figures })}\n`);
    return figures;
  } finally {
    dev.kill('SIGTERM');
    await once(dev, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}
