import type { Context } from 'hono';

/** Runs `work` after the response where the platform allows it; an app called directly (tests) waits for it. */
export async function inBackground(c: Context, work: Promise<unknown>): Promise<void> {
  let ctx: Pick<ExecutionContext, 'waitUntil'> | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    // Hono throws when the app was called without an ExecutionContext.
  }
  if (ctx) ctx.waitUntil(work);
  else await work;
}
