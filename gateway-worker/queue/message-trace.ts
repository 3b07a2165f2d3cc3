import { parseTraceparent } from '../../contract/trace-context.js';

/**
 * The log fields that tie a queue message's lines to the trace of the request that sent it
 * (its `traceparent`); none for a message sent without one, or with one that is malformed.
 */
export function traceFields(body: { traceparent?: string }): { trace_id?: string; parent_span_id?: string } {
  const trace = parseTraceparent(body.traceparent);
  return trace ? { trace_id: trace.traceId, parent_span_id: trace.spanId } : {};
}

/** One log line per trace among a job's resource messages just written: what was persisted for whom. */
export function logPersisted(jobId: string, bodies: { traceparent?: string; resources: unknown[] }[]): void {
  for (const [traceparent, group] of Map.groupBy(bodies, (b) => b.traceparent)) {
    const resources = group.reduce((n, b) => n + b.resources.length, 0);
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'resources persisted',
        job_id: jobId,
        messages: group.length,
        resources,
        ...traceFields({ traceparent }),
      }),
    );
  }
}
