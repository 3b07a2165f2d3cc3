import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const logDir = mkdtempSync(join(tmpdir(), 'driftmgr-chaos-logs-'));
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

// `npm run chaos` in small: two overlapping jobs over about 2,000 resources on the real local
// stack, with one agent SIGKILLed, a burst of results chunks sent twice, cloud calls throttled,
// failed and dropped, and the gateway killed and restarted once mid-job. The resource-type job
// packs its ~200 types' listings up to 25 a shard per region (tens of shards, splits aside);
// the run is given room for a loaded 2-core machine.
it('npm run chaos on a small estate loses and duplicates nothing and finds exactly the injected drift', async () => {
  const args = [
    'scripts/chaos.ts',
    '--resources',
    '2000',
    '--shard-size',
    '250',
    '--agents-per-account',
    '1',
    '--max-agent-kills',
    '1',
    '--kill-every-seconds',
    '3',
  ];
  args.push(
    '--resend-rate',
    '0',
    '--resend-burst',
    '3',
    '--chunk-write-timeout-seconds',
    '30',
    '--timeout-seconds',
    '420',
    '--log-dir',
    logDir,
  );
  const child = spawn(join('node_modules', '.bin', 'tsx'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

  const lines = stdout.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  const result = JSON.parse(lines[0]!);
  expect(result, stderr).toMatchObject({
    lost: 0,
    duplicated: 0,
    unknown: 0,
    precision: 1,
    recall: 1,
    agent_kills: 1,
    gateway_restarts: 1,
    overlapping_jobs: 2,
    resent_chunks: 3,
    resent_acknowledged_as_duplicates: 3,
    ok: true,
  });
  expect(result.resources).toBeGreaterThanOrEqual(2000);
  expect(result.stored).toBe(result.resources);
  expect(result.jobs.map((j: { sharding: string; status: string }) => [j.sharding, j.status])).toEqual([
    ['region', 'completed'],
    ['resource-type', 'completed'],
  ]);
  for (const job of result.jobs) {
    expect(job.resources_discovered).toBe(result.resources);
    expect(job.drift_exact).toBe(true);
  }
  expect(code, stderr).toBe(0);
}, 480_000);
