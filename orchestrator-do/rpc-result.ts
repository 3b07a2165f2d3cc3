/**
 * What a Durable Object RPC method answers when a request cannot be honoured. Thrown errors
 * lose their type across RPC, so refusals travel as values and the gateway maps them to HTTP.
 */
export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 409 | 422;
  code: string;
  message: string;
  details?: unknown;
}

export type RpcResult<T> = { ok: true; value: T } | Refusal;

export function refuse(status: Refusal['status'], code: string, message: string, details?: unknown): Refusal {
  return { ok: false, status, code, message, ...(details === undefined ? {} : { details }) };
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}
