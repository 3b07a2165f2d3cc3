/** A capability with timers of its own: when the object must wake next on its behalf. */
export interface WakeSource {
  nextWakeAt(now: number): number | null;
}

/**
 * The earliest wake-up any source asks for. A Durable Object has a single alarm, so every
 * capability's timers (lease deadlines, retry times, analysis resends) share it.
 */
export function earliestWake(sources: readonly WakeSource[], now: number): number | null {
  const times = sources.map((s) => s.nextWakeAt(now)).filter((t): t is number => t !== null);
  return times.length === 0 ? null : Math.min(...times);
}
