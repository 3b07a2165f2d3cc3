import type { ServerResponse } from 'node:http';
import type { StoredObject } from './objects.js';

/** Escapes text for an XML element or attribute. */
export function xml(text: string | number): string {
  return String(text).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  send(res, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(body));

/** Objects from a sorted listing after `marker`, at most `max`, with the marker of the next page. */
export function page<T>(
  entries: readonly [string, T][],
  prefix: string,
  marker: string | undefined,
  max: number,
): { items: [string, T][]; next?: string } {
  const matching = entries.filter(([name]) => name.startsWith(prefix) && (marker === undefined || name > marker));
  const items = matching.slice(0, max);
  return matching.length > max ? { items, next: items.at(-1)![0] } : { items };
}

export const sortedEntries = <T>(map: Map<string, T>): [string, T][] =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** A continuation token that is opaque to clients, as the clouds' are. */
export const encodeMarker = (name: string) => Buffer.from(name).toString('base64url');
export const decodeMarker = (token: string | null | undefined) =>
  token ? Buffer.from(token, 'base64url').toString() : undefined;

/** An object's quoted ETag: its MD5 (S3's form for a single-part upload). */
export const md5Etag = (o: StoredObject) => `"${o.md5.toString('hex')}"`;
