import type { Context, MiddlewareHandler } from 'hono';
import { childSpan, formatTraceparent, parseTraceparent } from '../../contract/trace-context.js';
import type { AppEnv } from '../app-env.js';
import { routeOf } from '../metrics/api-latency.js';

/**
 * Joins the caller's W3C trace (its `traceparent` header; a new trace when it sent none or a
 * malformed one) with a span of its own for this request, which the routes pass on to queue
 * messages and objects. The response carries it back, and one JSON log line per request names
 * the trace, so the gateway's logs can be joined with the agent's spans and the consumer's lines.
 */
export const traceRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const span = childSpan(parseTraceparent(c.req.header('traceparent')));
  c.set('trace', span);
  const started = Date.now();
  await next();
  c.header('traceparent', formatTraceparent(span));
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'request',
      method: c.req.method,
      route: routeOf(c),
      status: c.res.status,
      duration_ms: Date.now() - started,
      trace_id: span.traceId,
      span_id: span.spanId,
    }),
  );
};

/** The traceparent to hand on from this request: its own span, the parent of the next hop. */
export function traceparentOf(c: Context<AppEnv>): string {
  return formatTraceparent(c.get('trace'));
}
