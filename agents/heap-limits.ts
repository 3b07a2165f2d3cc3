import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings that keep the agent's heap near what it really holds. Every page a cloud API
 * returns is garbage once its chunks are uploaded, and at that allocation rate V8 by default
 * lets the old generation grow to up to four times what is live and the young one to 32 MB:
 * one agent streaming a 100,000-resource shard peaked at 330-380 MB RSS with some 40 MB live.
 * With old-generation growth held to 1.5 times and the young generation kept at its starting
 * size (2 MB) it peaks near 200 MB (npm run bench -- --only agent_100k_shard). V8 reads both at
 * each collection, so setting them as the agent starts is enough; a flag given on the node
 * command line is left as given.
 */
const HEAP_FLAGS = ['--heap-growing-percent=50', '--semi-space-growth-factor=1'];

/** `--heap-growing-percent=50` and `--heap_growing_percent` name the same V8 flag. */
function flagName(arg: string): string {
  return arg.split('=')[0]!.replaceAll('_', '-');
}

/** The heap flags to set for a process started with `execArgv`: those it was not given. */
export function heapFlagsToSet(execArgv: readonly string[]): string[] {
  const given = new Set(execArgv.map(flagName));
  return HEAP_FLAGS.filter((flag) => !given.has(flagName(flag)));
}

for (const flag of heapFlagsToSet(process.execArgv)) setFlagsFromString(flag);
