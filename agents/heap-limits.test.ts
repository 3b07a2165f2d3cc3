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

it('heap limits leave heap flags given on the node command line as given', () => {
  const bounded = peakHeapMb(['--import', HEAP_LIMITS]);
  const callersOwn = peakHeapMb([
    '--heap-growing-percent=300',
    '--semi_space_growth_factor=2',
    '--import',
    HEAP_LIMITS,
  ]);
  expect(callersOwn).toBeGreaterThan(bounded / 0.7);
});
