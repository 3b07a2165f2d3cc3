import { Cron } from 'croner';

/** A parsed five-field cron expression, read in UTC; or why the text is not one. */
export type ParsedCron = { ok: true; cron: Cron } | { ok: false; message: string };

export function parseCron(expression: string): ParsedCron {
  // Counted here: croner's own message lists the six- and seven-field forms it refuses in this mode.
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5) {
    return {
      ok: false,
      message: `five fields expected (minute hour day-of-month month day-of-week, in UTC), got ${fields}`,
    };
  }
  try {
    // paused and without a callback: croner only computes times, it never starts a timer.
    return { ok: true, cron: new Cron(expression, { mode: '5-part', timezone: 'UTC', paused: true }) };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** The first time strictly after `after` (ms) that the cron fires; null when it never fires again. */
export function nextFiring(cron: Cron, after: number): number | null {
  return cron.nextRun(new Date(after))?.getTime() ?? null;
}
