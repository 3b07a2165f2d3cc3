import type { OpenAPIHono } from '@hono/zod-openapi';

/** Hono's environment for every route: the Worker bindings. */
export interface AppEnv {
  Bindings: Env;
}

export type App = OpenAPIHono<AppEnv>;
