import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// Run in child processes: importing heap-limits here would change this test process's heap.
const HEAP_LIMITS = fileURLToPath(new URL('./heap-limits.ts', import.meta.url));

// An agent's allocation pattern in small: some data held throughout, and page after page of
// short-lived objects. Prints the largest heap V8 reserved, in MB.
const CHURN = `
const held = [];
for (let i = 0; i < 400; i++) held.push({ id: i, data: 'x'.repeat(100000 + i) });
let peak = 0;
for (let round = 0; round < 60; round++) {
  const page = [];
  for (let i = 0; i < 20000; i++) page.push({ id: 'i-' + round + '-' + i, tags: [{ Key: 'Name', Value: 'v' + i }], n: i });
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
console.log(peak / 1048576);
`;

function peakHeapMb(nodeArgs: string[]): number {
  const result = spawnSync(process.execPath, [...nodeArgs, '-e', CHURN], { encoding: 'utf8' });
  // V8 names a flag it does not know on stderr: a renamed flag must fail here.
  expect(result.stderr).toBe('');
  return Number(result.stdout);
}

it('heap limits keep the heap well under what V8 reserves by default for the same work', () => {
  const unbounded = peakHeapMb([]);
  const bounded = peakHeapMb(['--import', HEAP_LIMITS]);
  expect(bounded).toBeGreaterThan(0);
  expect(bounded).toBeLessThan(unbounded * 0.7);
});

/** heapFlagsToSet's answer for `execArgv`, asked in a child process for the same reason. */
function flagsToSet(execArgv: string[]): string[] {
  const script = `import { heapFlagsToSet } from ${JSON.stringify(HEAP_LIMITS)};
console.log(JSON.stringify(heapFlagsToSet(${JSON.stringify(execArgv)})));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

// Which flags are left alone is checked on the decision itself: a heap figure from a child
// process on a loaded machine is too noisy to tell 50 % growth from 300 %.
it('heap limits leave heap flags given on the node command line as given', () => {
  expect(flagsToSet([])).toEqual(['--heap-growing-percent=50', '--semi-space-growth-factor=1']);
  expect(flagsToSet(['--heap-growing-percent=300'])).toEqual(['--semi-space-growth-factor=1']);
  expect(flagsToSet(['--heap_growing_percent=300', '--semi_space_growth_factor=2'])).toEqual([]);
  expect(flagsToSet(['--max-old-space-size=512'])).toHaveLength(2);
});
