import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ErrorCode } from '../../contract/errors.js';
import type { AppEnv } from '../app-env.js';
import { ApiError } from '../errors.js';
import { MAX_STREAMED_IMPORT_BYTES } from '../imports/upload.js';

const MB = 1024 * 1024;

/** Largest request body of any route not listed below: API requests are small JSON documents. */
export const DEFAULT_MAX_BODY_BYTES = 1 * MB;

/** The routes that take more, and how much. */
export const LARGER_BODIES: readonly { path: RegExp; maxBytes: number; what: string }[] = [
  // A large import is streamed into the upload bucket as it arrives (imports/upload.ts), never held whole.
  { path: /^\/api\/v1\/import$/, maxBytes: MAX_STREAMED_IMPORT_BYTES, what: 'an import' },
  { path: /^\/api\/v1\/shards\/[^/]+\/results$/, maxBytes: 16 * MB, what: 'a results chunk' },
  // A state an agent read from a backend: the import's limit, streamed the same way when large.
  {
    path: /^\/api\/v1\/state-sources\/[^/]+\/states$/,
    maxBytes: MAX_STREAMED_IMPORT_BYTES,
    what: 'a state from a backend',
  },
];

function limit(maxBytes: number, what: string): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, ErrorCode.payloadTooLarge, `${what} may be at most ${maxBytes / MB} MB`);
    },
  });
}

const limits = LARGER_BODIES.map((route) => ({ path: route.path, check: limit(route.maxBytes, route.what) }));
const defaultLimit = limit(DEFAULT_MAX_BODY_BYTES, 'a request body');

/**
 * Every request body is bounded before any handler reads it (a declared Content-Length is
 * checked at once, a streamed body as it arrives), answering 413 with the JSON error shape.
 */
export const limitRequestBodies: MiddlewareHandler<AppEnv> = (c, next) => {
  const own = limits.find((route) => route.path.test(c.req.path));
  return (own?.check ?? defaultLimit)(c, next);
};
