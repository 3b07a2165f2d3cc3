/**
 * FNV-1a 64-bit over UTF-16 code units, as 16 hex digits: fast content fingerprints. Not for
 * secrets: sensitive values get a keyed HMAC (state/sensitive.ts).
 */
export function fnv1a64Hex(text: string): string {
  // 64-bit arithmetic in two 32-bit halves; prime 0x100000001b3 = (1 << 40) + 0x1b3.
  let hi = 0xcbf29ce4,
    lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const newHi = (Math.imul(hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = loMul >>> 0;
    hi = newHi;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
