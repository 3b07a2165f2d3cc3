import { newTokenId } from '../contract/ids.js';

const encoder = new TextEncoder();

/** Compares secrets in constant time so response timing does not leak a token's prefix. */
export function sameSecret(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}

/**
 * What is kept of a token: the SHA-256 (hex) of the whole token string. The secret part is
 * 256 random bits, so a plain hash is as hard to reverse as the secret is to guess.
 */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** A new token `<id>.<secret>` (contract/tokens.ts reads the id back) and the hash to store. */
export async function mintToken(): Promise<{ id: string; token: string; secret_hash: string }> {
  const id = newTokenId();
  const token = `${id}.${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
  return { id, token, secret_hash: await hashToken(token) };
}
