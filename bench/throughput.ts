import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../scripts/build.js';
import { freePort } from '../test/support/free-port.js';

export interface ThroughputOptions {
  /** Estate size, across the three clouds. */
  resources: number;
  /** How long the jobs may take before the run gives up. */
  timeoutSeconds: number;
  /** `analysis_peak_heap_mb` of the analysis scenario, when it ran before this one. */
  analysisPeakHeapMb?: number | null;
}

/** What `npm start -- --once --summary <file>` writes (scripts/start.ts). */
interface StartSummary {
  ok: boolean;
  resources: number;
  discovered: number;
  stored: number;
  precision: number;
  recall: number;
  shards: number;
  phases_s: Record<string, number>;
}

/** One process of the run: its role (from its command line) and parent. */
interface Proc {
  pid: number;
  ppid: number;
  role: string | undefined;
}

/**
 * The role of a process of the run by its command line: the gateway's workerd (and wrangler
 * around it), the import CLI, an agent (by provider and account), or the driver, which runs the
 * emulator in its own process.
 */
export function roleOf(pid: number, rootPid: number): string | undefined {
  if (pid === rootPid) return 'emulator';
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (args.some((a) => a.endsWith('/workerd'))) return 'workerd';
  if (args.some((a) => a.endsWith('/wrangler'))) return 'wrangler';
  if (args.some((a) => a.endsWith('bin/driftmgr.js'))) return 'import_cli';
  if (!args.some((a) => a.endsWith('driftmgr-agent.js'))) return undefined;
  const flag = (name: string) => args[args.indexOf(name) + 1];
  return `agent_${flag('--provider')}_${flag('--account')}`;
}

/** Every process under `rootPid`, itself included. */
export function processTree(rootPid: number): Proc[] {
  const all: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses: the fields after its closing one are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      all.push({ pid: Number(entry), ppid, role: undefined });
    } catch {
      // exited meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) if (!tree.has(p.pid) && tree.has(p.ppid)) grew = tree.add(p.pid) !== undefined;
  }
  return all.filter((p) => tree.has(p.pid));
}

/** Clock ticks a second, in which /proc/<pid>/stat counts CPU time (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(0, -1);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Peak resident set (VmHWM, MB) and CPU seconds (user + system) of each role's processes,
 * sampled while the run lasts. CPU seconds say where the work goes however loaded the machine is.
 */
function sampleProcesses(rootPid: number, everyMs = 500) {
  const peaks: Record<string, number> = {};
  const ticks = new Map<number, number>();
  const roles = new Map<number, string>();
  const sample = () => {
    for (const p of processTree(rootPid)) {
      try {
        // Asked again until known: a child just forked still shows its parent's command line.
        const role = roles.get(p.pid) ?? roleOf(p.pid, rootPid);
        if (!role) continue;
        roles.set(p.pid, role);
        const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
        const mb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
        peaks[role] = Math.max(peaks[role] ?? 0, Math.round(mb));
        ticks.set(p.pid, cpuSecondsOf(p.pid));
      } catch {
        // exited meanwhile
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const cpu: Record<string, number> = {};
      for (const [pid, t] of ticks) {
        const role = roles.get(pid)!;
        cpu[role] = Math.round((cpu[role] ?? 0) + t);
      }
      return { peaks, cpu };
    },
  };
}

const perSecond = (n: number, s: number | undefined) => (s ? Math.round(n / s) : null);

/**
 * `npm start -- --once --resources N` as a user runs it (its own port and persistence directory):
 * the emulator's estate across the three clouds, its Terraform state imported with `driftmgr
 * import`, one agent per account discovering it with the real SDKs through the gateway in
 * `wrangler dev`, and the analysis of every account, checked against the drift injected.
 * `wall_s` runs from the import to the last job's end; `setup_s` (migrations, generating the
 * estate and its state, starting the gateway) is left out of it and reported on its own.
 */
export async function benchThroughput(opts: ThroughputOptions) {
  await ensureBuilt();
  const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-bench-throughput-'));
  const summaryFile = join(persistDir, 'summary.json');
  const logFile = join('.driftmgr', 'logs', `bench-throughput-${opts.resources}.log`);
  mkdirSync(join('.driftmgr', 'logs'), { recursive: true });
  const args = ['--import', 'tsx', 'scripts/start.ts', '--once', '--resources', String(opts.resources)];
  args.push('--port', String(await freePort()), '--persist-to', persistDir, '--summary', summaryFile);
  args.push('--timeout-seconds', String(opts.timeoutSeconds));
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(logFile);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const processes = sampleProcesses(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const { peaks, cpu } = processes.stop();
  const processWall = (performance.now() - started) / 1000;
  try {
    const s = JSON.parse(readFileSync(summaryFile, 'utf8')) as StartSummary;
    const { setup, import: imported = 0, discovery, analysis } = s.phases_s;
    const wall = imported + (discovery ?? 0) + (analysis ?? 0);
    return {
      resources: s.resources,
      ok: s.ok && code === 0,
      wall_s: Math.round(wall * 10) / 10,
      resources_per_s: perSecond(s.resources, wall),
      discovery_per_s: perSecond(s.discovered, discovery),
      analysis_per_s: perSecond(s.resources, analysis),
      peak_rss_mb: peaks,
      // Analysis runs in workerd here, where its heap cannot be read per invocation: the analysis
      // scenario measures the same consumer code path (same part limit) in Node.
      analysis_peak_heap_mb: opts.analysisPeakHeapMb ?? null,
      stored: s.stored,
      precision: s.precision,
      recall: s.recall,
      discovered: s.discovered,
      shards: s.shards,
      phases_s: s.phases_s,
      setup_s: setup,
      cpu_s: cpu,
      process_wall_s: Math.round(processWall),
      load_average: [Math.round(loadBefore * 100) / 100, Math.round(loadavg()[0]! * 100) / 100],
      log: logFile,
    };
  } catch (err) {
    throw new Error(`npm start --once exited ${code} without figures (${String(err)}); see ${logFile}`);
  } finally {
    rmSync(persistDir, { recursive: true, force: true });
  }
}
