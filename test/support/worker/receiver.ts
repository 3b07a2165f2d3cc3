import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    webhookReceiverUrl: string;
  }
}

/** One request the test receiver got (test/support/webhook-receiver.ts), and what it answered. */
export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

/** A URL of the test receiver under `name`; `query` scripts its answers (`?fail=1`, `?status=404`). */
export function hookUrl(name: string, query = ''): string {
  return `${inject('webhookReceiverUrl')}/hooks/${name}${query}`;
}

/** What the receiver got under `name` so far. */
export async function received(name: string): Promise<ReceivedRequest[]> {
  const res = await fetch(`${inject('webhookReceiverUrl')}/received/${name}`);
  return (await res.json()) as ReceivedRequest[];
}

/** Waits until the receiver got `count` requests under `name`, and returns them. */
export async function waitForReceived(name: string, count: number, timeoutMs = 30_000): Promise<ReceivedRequest[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await received(name);
    if (got.length >= count || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const encoder = new TextEncoder();

/**
 * Whether a delivery's X-DriftMgr-Signature is the HMAC-SHA256 of `<X-DriftMgr-Timestamp>.<body>`
 * under `secret`: the check a receiver makes, written apart from the sender's code.
 */
export async function signatureVerifies(secret: string, request: ReceivedRequest): Promise<boolean> {
  const signature = request.headers['x-driftmgr-signature'] ?? '';
  const hex = signature.match(/^sha256=([0-9a-f]{64})$/)?.[1];
  if (!hex) return false;
  const mac = new Uint8Array(hex.match(/../g)!.map((h) => Number.parseInt(h, 16)));
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const signed = encoder.encode(`${request.headers['x-driftmgr-timestamp']}.${request.body}`);
  return crypto.subtle.verify('HMAC', key, mac, signed);
}
