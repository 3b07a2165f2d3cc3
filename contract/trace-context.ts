/**
 * W3C Trace Context (`traceparent`): the trace a request or queue message belongs to and the span
 * that caused it. Parsed and made here, so the gateway, the objects and the queue consumer agree
 * on one format, and a malformed header starts a new trace instead of failing the request.
 */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: this hop's span, the parent of the next one. */
  spanId: string;
  /** trace-flags, two hex digits; bit 0 is "sampled". */
  flags: string;
}

/** Version 00 exactly; a later version may append fields after its first four, which are read alike. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/** The trace context a `traceparent` header carries, or undefined when it is absent or invalid. */
export function parseTraceparent(header: string | null | undefined): TraceContext | undefined {
  const m = header?.trim().match(TRACEPARENT);
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string?];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

export function formatTraceparent(t: TraceContext): string {
  return `00-${t.traceId}-${t.spanId}-${t.flags}`;
}

/** A new span of `parent`'s trace, or the first span of a new sampled trace when there is no parent. */
export function childSpan(parent: TraceContext | undefined): TraceContext {
  return { traceId: parent?.traceId ?? randomHex(16), spanId: randomHex(8), flags: parent?.flags ?? '01' };
}

/** `bytes` random bytes as hex, never all zero (an all-zero id is invalid). */
function randomHex(bytes: number): string {
  for (;;) {
    const hex = Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join(
      '',
    );
    if (!ALL_ZERO.test(hex)) return hex;
  }
}
