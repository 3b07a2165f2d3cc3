import type { OpenAPIHono } from '@hono/zod-openapi';
import type { TraceContext } from '../contract/trace-context.js';

/** Hono's environment for every route: the Worker bindings. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** This request's span of the caller's trace (middleware/trace.ts). */
    trace: TraceContext;
  };
}

export type App = OpenAPIHono<AppEnv>;
