import { ErrorCode } from '../contract/errors.js';
import { ApiError } from './errors.js';

/** Opaque cursors: the sort key of the last row of a page, base64url-encoded JSON. */
export function encodeCursor(key: unknown[]): string {
  return btoa(JSON.stringify(key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const key: unknown = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === 'string')) return key as string[];
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, ErrorCode.badRequest, 'cursor: not a cursor this API returned');
}
