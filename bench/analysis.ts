import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyD1Migrations } from './storage.js';

const CHILD = 'bench/analysis-child.ts';
const CONFIG = 'bench/analysis-worker.toml';

export interface AnalysisBenchOptions {
  /** Resources of the one account analysed (a state manages most of them). */
  resources?: number;
  /** Resources plus instances a part holds; ANALYSIS_PART_LIMIT's default when not given. */
  limit?: number;
}

/** One queue consumer invocation as the child reported it. */
interface Invocation {
  stage: string;
  statements: number;
  round_trips: number;
  ms: number;
  /** Heap in use when it started (after a full GC), at its peak, and the most found live, in bytes. */
  base: number;
  peak: number;
  live: number;
}

/** A GC trace line: `… ms: Scavenge 12.3 (14.0) -> 11.0 (15.0) MB, …`; the first figure is the heap in use before it (MiB). */
const GC_LINE = /ms: [A-Za-z -]+(?:\([a-z -]+\) )?([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/;

/**
 * Memory, D1 statements and RPC weight of one account's analysis through the queue consumer's
 * code (gateway-worker/queue/analyze.ts), invocation by invocation: once in parts as it runs
 * now, and once as one part of every slot, as the account was analysed before parts. The
 * consumer runs in Node with the real local D1 behind wrangler's platform proxy (workerd shows
 * no heap figures). Each invocation is weighed above the heap in use when it started (the
 * process's own, about 140 MB: modules and the proxy's client) in two ways: the most heap found
 * live by a full collection each time it sent D1 a statement (what its steps hold), and the most
 * in use before any collection of V8's GC trace, garbage included (an upper bound, which V8's
 * lazy collection over that large base inflates).
 */
export async function benchAnalysis(options: AnalysisBenchOptions = {}) {
  const resources = options.resources ?? 250_000;
  const root = mkdtempSync(join(tmpdir(), 'driftmgr-analysis-bench-'));
  try {
    const seededDir = join(root, 'seeded');
    applyD1Migrations(seededDir, CONFIG);
    const seedStarted = performance.now();
    const seeded = JSON.parse(
      marked(
        await child(['seed', '--persist', join(seededDir, 'v3'), '--resources', String(resources)]),
        '@@seeded',
      )[0]!,
    );
    const seedMs = Math.round(performance.now() - seedStarted);
    const run = async (whole: boolean) => {
      const dir = join(root, whole ? 'whole' : 'parts');
      cpSync(seededDir, dir, { recursive: true });
      const args = ['measure', '--persist', join(dir, 'v3'), '--account', seeded.account];
      if (options.limit) args.push('--limit', String(options.limit));
      const out = await child(whole ? [...args, '--whole'] : args);
      return { invocations: invocationsOf(out), rpc: JSON.parse(marked(out, '@@rpc')[0]!) };
    };
    const parts = await run(false);
    const whole = await run(true);
    const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
    const above = (i: Invocation) => i.peak - i.base;
    const live = (i: Invocation) => i.live - i.base;
    const most = (list: Invocation[], weigh: (i: Invocation) => number) => Math.max(...list.map(weigh));
    const byStage = (list: Invocation[], pick: (i: Invocation) => number) =>
      Object.fromEntries(
        ['plan', 'data', 'close'].map((stage) => [
          stage,
          Math.max(0, ...list.filter((i) => i.stage === stage).map(pick)),
        ]),
      );
    return {
      resources: seeded.resources,
      state_instances: seeded.state_instances,
      part_limit: parts.rpc.part_limit,
      data_parts: parts.invocations.filter((i) => i.stage === 'data').length,
      analysis_peak_heap_mb: mb(most(parts.invocations, live)),
      analysis_peak_heap_mb_target: 100,
      analysis_peak_heap_mb_unpartitioned: mb(most(whole.invocations, live)),
      peak_heap_mb_by_stage: byStage(parts.invocations, (i) => mb(live(i))),
      peak_heap_mb_with_garbage: mb(most(parts.invocations, above)),
      peak_heap_mb_with_garbage_unpartitioned: mb(most(whole.invocations, above)),
      process_base_heap_mb: mb(Math.min(...parts.invocations.map((i) => i.base))),
      d1_statements_per_invocation_max: Math.max(...parts.invocations.map((i) => i.statements)),
      d1_statements_by_stage: byStage(parts.invocations, (i) => i.statements),
      d1_round_trips_per_invocation_max: Math.max(...parts.invocations.map((i) => i.round_trips)),
      d1_statements_unpartitioned: Math.max(...whole.invocations.map((i) => i.statements)),
      rpc_largest_argument_bytes: parts.rpc.largest_arguments,
      rpc_largest_answer_bytes: parts.rpc.largest_answer,
      analysis_ms: Math.round(parts.invocations.reduce((sum, i) => sum + i.ms, 0)),
      analysis_ms_unpartitioned: Math.round(whole.invocations.reduce((sum, i) => sum + i.ms, 0)),
      slowest_invocation_ms_by_stage: byStage(parts.invocations, (i) => Math.round(i.ms)),
      seed_ms: seedMs,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The payloads of the lines that start with `mark`. */
function marked(out: string, mark: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith(`${mark} `))
    .map((l) => l.slice(mark.length + 1));
}

/** Each invocation between its @@start and @@end lines, its peak the most the GC trace saw in use. */
function invocationsOf(out: string): Invocation[] {
  const invocations: Invocation[] = [];
  let peaks: number[] | null = null;
  for (const line of out.split('\n')) {
    if (line.startsWith('@@start ')) peaks = [];
    else if (line.startsWith('@@end ')) {
      const f = JSON.parse(line.slice(6));
      invocations.push({ ...f, peak: Math.max(f.after, ...(peaks ?? [])) });
      peaks = null;
    } else if (peaks) {
      const gc = GC_LINE.exec(line);
      if (gc) peaks.push(Number(gc[1]) * 2 ** 20);
    }
  }
  return invocations;
}

/** Runs bench/analysis-child.ts in a Node of its own (GC exposed, room for the unpartitioned run); resolves with its stdout. */
function child(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', CHILD, ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const out = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve(out);
      else reject(new Error(`${CHILD} ${args[0]} exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [resources, limit] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await benchAnalysis({ resources, ...(limit ? { limit } : {}) })));
}
