import type { OpenAPIHono } from '@hono/zod-openapi';
import type { TraceContext } from '../contract/trace-context.js';
import type { MatchedRoute } from './access.js';
import type { Principal } from './principal.js';

/** Hono's environment for every route: the Worker bindings, and what the middleware found out. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The route the request reaches and its access rule; null when it reaches none. */
    route: MatchedRoute | null;
    /** Who is calling; unset on public routes. */
    principal: Principal;
    /** This request's span of the caller's trace (middleware/trace.ts). */
    trace: TraceContext;
  };
}

export type App = OpenAPIHono<AppEnv>;
