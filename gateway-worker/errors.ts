import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { type ErrorBody, ErrorCode } from '../contract/errors.js';
import type { Refusal } from '../orchestrator-do/rpc-result.js';

/** An error the API answers with its own status and code instead of a 500. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** A validation failure, with every offending field named in the message. */
export function validationError(error: ZodError, where: string): ApiError {
  const message = error.issues.map((i) => `${i.path.length ? i.path.join('.') : where}: ${i.message}`).join('; ');
  return new ApiError(400, ErrorCode.badRequest, message, { issues: error.issues });
}

/** The value of a coordinator's answer, or its refusal thrown as the matching HTTP error. */
export function unwrap<T>(result: { ok: true; value: T } | Refusal): T {
  if (result.ok) return result.value;
  throw new ApiError(result.status, result.code, result.message, result.details);
}

/** The app's onError: known errors keep their status; anything else is logged and hidden. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code =
      status === 413 ? ErrorCode.payloadTooLarge : status === 401 ? ErrorCode.unauthorized : ErrorCode.badRequest;
    return c.json(errorBody(code, err.message || 'bad request'), status);
  }
  console.error(
    JSON.stringify({ level: 'error', msg: 'unhandled error', path: c.req.path, error: String(err), stack: err.stack }),
  );
  return c.json(errorBody(ErrorCode.internal, 'internal error; it has been logged'), 500);
}
