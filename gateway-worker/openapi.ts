import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import { ErrorBody } from '../contract/errors.js';
import type { AppEnv } from './app-env.js';
import { validationError } from './errors.js';

/** A router whose request validation failures become our 400 error shape. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

export const json = <T extends ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

/** Error responses every authenticated route can give. */
export const errorResponses = {
  400: json(ErrorBody, 'The request is malformed; the message names the field'),
  401: json(ErrorBody, 'Missing, invalid, expired or revoked bearer token'),
  403: json(ErrorBody, "The token's role, or an agent token's provider and accounts, do not allow this call"),
  429: json(ErrorBody, 'The request budget of the token (or client address) is spent; Retry-After says when to return'),
} as const;

/** Cached reads (middleware/read-cache.ts) carry an ETag; asking again with it in If-None-Match may get this. */
export const notModified = {
  304: { description: 'Not modified: If-None-Match named the current ETag (no body)' },
} as const;

export const bearerSecurity = [{ bearer: [] }];
