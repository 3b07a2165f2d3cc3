import type { Attributes } from '@opentelemetry/api';
import type { z } from 'zod';
import type { Lease, LeaseRequest } from '../contract/agent-protocol.js';
import { childSpan, formatTraceparent } from '../contract/trace-context.js';
import type { ShardGateway } from './gateway-client.js';

/** The gateway calls the agent makes: leasing plus what each shard runner needs. */
export interface AgentGateway extends ShardGateway {
  lease(req: z.input<typeof LeaseRequest>, signal?: AbortSignal): Promise<Lease | null>;
}

/**
 * The agent's spans: one per lease call, per shard discovered, and per results chunk sent. The
 * gateway client asks `traceparent()` for every request, so the gateway joins the agent's trace.
 */
export interface AgentTracer {
  /** Runs `work` in a span named `name`; gateway calls made inside it carry the span as their parent. */
  inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T>;
  /** The `traceparent` header for a request made now. */
  traceparent(): string;
  /** Sends the spans not exported yet and stops. */
  shutdown(): Promise<void>;
}

/**
 * Without an OTLP endpoint nothing is recorded or loaded; each request still carries a traceparent
 * of its own, so the gateway's log lines of one call share a trace id.
 */
export const noTracing: AgentTracer = {
  inSpan: (_name, _attributes, work) => work(),
  traceparent: () => formatTraceparent(childSpan(undefined)),
  shutdown: async () => {},
};

/**
 * Spans exported over OTLP/HTTP to `${endpoint}/v1/traces` (the OTEL_EXPORTER_OTLP_ENDPOINT rule).
 * The OpenTelemetry SDK is imported here, only when an endpoint is configured.
 */
export async function startTracing(endpoint: string, resource: Attributes): Promise<AgentTracer> {
  const [api, sdk, { OTLPTraceExporter }, { AsyncLocalStorageContextManager }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/resources'),
    ]);
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'driftmgr-agent', ...resource }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('driftmgr-agent');
  return {
    inSpan: (name, attributes, work) =>
      tracer.startActiveSpan(name, { attributes, kind: api.SpanKind.CLIENT }, async (span) => {
        try {
          return await work();
        } catch (err) {
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
          throw err;
        } finally {
          span.end();
        }
      }),
    traceparent: () => {
      const active = api.trace.getActiveSpan()?.spanContext();
      if (!active || !api.isSpanContextValid(active)) return noTracing.traceparent();
      const flags = (active.traceFlags & api.TraceFlags.SAMPLED) !== 0 ? '01' : '00';
      return formatTraceparent({ traceId: active.traceId, spanId: active.spanId, flags });
    },
    shutdown: async () => {
      await provider.shutdown();
      api.context.disable();
    },
  };
}

/** The gateway with a span around each lease call and each results chunk sent. */
export function tracedGateway(gateway: AgentGateway, tracer: AgentTracer): AgentGateway {
  return {
    lease: (req, signal) =>
      tracer.inSpan('driftmgr.lease', { 'driftmgr.account': req.account, 'driftmgr.provider': req.provider }, () =>
        gateway.lease(req, signal),
      ),
    sendResults: (shardId, chunk, signal) =>
      tracer.inSpan(
        'driftmgr.results',
        {
          'driftmgr.shard_id': shardId,
          'driftmgr.sequence': chunk.sequence,
          'driftmgr.resources': chunk.resourcesJson.length,
        },
        () => gateway.sendResults(shardId, chunk, signal),
      ),
    heartbeat: (shardId, leaseId, signal) => gateway.heartbeat(shardId, leaseId, signal),
    complete: (shardId, req) => gateway.complete(shardId, req),
    fail: (shardId, req) => gateway.fail(shardId, req),
  };
}
