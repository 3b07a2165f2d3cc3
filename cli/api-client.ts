import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { ErrorBody } from '../contract/errors.js';
import type { GatewayConfig } from './config.js';
import { CliError, type ExitCode } from './errors.js';

/** Statuses worth retrying later count as failures (exit 1); every other 4xx is a usage error (exit 2). */
const TRANSIENT_STATUSES = new Set([408, 429]);

export type Query = Record<string, string | number | undefined>;

/** A non-2xx answer, carrying the server's own error code and message. */
export class GatewayError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message, exitCodeForStatus(status));
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  return status >= 500 || TRANSIENT_STATUSES.has(status) ? 1 : 2;
}

/** A thin typed client for the gateway's /api/v1 routes. */
export class ApiClient {
  constructor(private readonly config: GatewayConfig) {}

  get url(): string {
    return this.config.url;
  }

  async getJson<S extends z.ZodType>(path: string, schema: S, query: Query = {}): Promise<z.infer<S>> {
    return this.parse(await this.request('GET', path, query), schema, path);
  }

  async postJson<S extends z.ZodType>(path: string, schema: S, body?: unknown, query: Query = {}): Promise<z.infer<S>> {
    const init: RequestInit =
      body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    return this.parse(await this.request('POST', path, query, init), schema, path);
  }

  async postForm<S extends z.ZodType>(path: string, schema: S, form: FormData, query: Query = {}): Promise<z.infer<S>> {
    return this.parse(await this.request('POST', path, query, { body: form }), schema, path);
  }

  /**
   * POST of a body sent as it is read (a duplex stream: files of any size are never held whole),
   * with its exact length.
   */
  async postStream<S extends z.ZodType>(
    path: string,
    schema: S,
    body: { contentType: string; length: number; body: ReadableStream<Uint8Array> },
    query: Query = {},
  ): Promise<z.infer<S>> {
    const init = {
      body: body.body,
      duplex: 'half',
      headers: { 'content-type': body.contentType, 'content-length': String(body.length) },
    } as RequestInit;
    return this.parse(await this.request('POST', path, query, init), schema, path);
  }

  /** DELETE; the answer (204) has no body. */
  async delete(path: string): Promise<void> {
    await this.request('DELETE', path, {});
  }

  /** The response body as a stream, for reports and exports that may be large. */
  async download(path: string, query: Query = {}): Promise<Readable> {
    const res = await this.request('GET', path, query);
    if (!res.body) return Readable.from([]);
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }

  /**
   * An event stream (text/event-stream) to read as it arrives, resuming after `lastEventId`;
   * null when the server answers 204, nothing more to read. Aborting `signal` ends the read.
   */
  async events(
    path: string,
    lastEventId: string | undefined,
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array> | null> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await this.request('GET', path, {}, { headers, signal });
    return res.status === 204 ? null : res.body;
  }

  private async request(method: string, path: string, query: Query, init: RequestInit = {}): Promise<Response> {
    const target = new URL(`${this.config.url}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) target.searchParams.set(key, String(value));
    }
    let res: Response;
    try {
      res = await fetch(target, {
        ...init,
        method,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.config.token}` },
      });
    } catch (err) {
      throw new CliError(`cannot reach the gateway at ${this.config.url}: ${networkReason(err)}`, 1);
    }
    if (!res.ok) throw await gatewayError(res);
    return res;
  }

  private async parse<S extends z.ZodType>(res: Response, schema: S, path: string): Promise<z.infer<S>> {
    const result = schema.safeParse(await res.json().catch(() => undefined));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new CliError(
        `unexpected answer from the gateway for ${path}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
        1,
      );
    }
    return result.data;
  }
}

async function gatewayError(res: Response): Promise<GatewayError> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success)
    return new GatewayError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
  return new GatewayError(res.status, 'http_error', `the gateway answered ${res.status} ${res.statusText}`.trim());
}

/** fetch hides the socket error (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
