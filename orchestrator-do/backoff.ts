/**
 * Delay before a failed shard may be leased again: exponential in the attempt number, half
 * of it random, so many shards failing together (a throttled account) do not retry in step.
 */
export function retryDelayMs(attempt: number, baseSeconds: number, random = Math.random): number {
  const ceiling = Math.min(300_000, baseSeconds * 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
