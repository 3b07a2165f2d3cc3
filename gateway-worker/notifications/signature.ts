const encoder = new TextEncoder();

/**
 * The X-DriftMgr-Signature of a delivery: `sha256=` and the hex HMAC-SHA256, keyed with the
 * target's secret, of `<timestamp>.<body>`. Signing the timestamp with the body lets a
 * receiver refuse an old delivery replayed with a fresh timestamp.
 */
export async function signatureOf(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
