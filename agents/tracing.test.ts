import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceparent } from '../contract/trace-context.js';
import { FakeGateway } from '../test/support/fake-gateway.js';
import { FakeProvider, pagedListing } from '../test/support/fake-provider.js';
import { DiscoveryAgent } from './agent.js';
import { parseAgentConfig } from './config.js';
import { GatewayClient } from './gateway-client.js';
import { startTracing } from './tracing.js';

interface ExportedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

/** An OTLP/HTTP receiver: keeps each JSON export request of /v1/traces. */
class OtlpReceiver {
  readonly exports: any[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', async (req, res) => {
      let body = '';
      for await (const part of req) body += part;
      if (req.method === 'POST' && req.url === '/v1/traces') receiver.exports.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  spans(): ExportedSpan[] {
    return this.exports.flatMap((e) => e.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)));
  }

  serviceNames(): string[] {
    return this.exports.flatMap((e) =>
      e.resourceSpans.map(
        (r: any) => r.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue,
      ),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let gateway: FakeGateway;
let receiver: OtlpReceiver;

beforeAll(async () => {
  gateway = await FakeGateway.start();
  receiver = await OtlpReceiver.start();
});

afterAll(async () => {
  await gateway.close();
  await receiver.close();
});

describe('agent tracing', () => {
  it('exports lease, discover and results spans over OTLP, and each gateway call carries its span', async () => {
    const account = 'acct-traced';
    gateway.addShard({ account, work: [{ type: 'AWS::EC2::Instance', region: 'us-east-1' }] });
    const tracer = await startTracing(receiver.url, { 'service.instance.id': 'agent-traced' });
    const client = new GatewayClient({
      url: gateway.url,
      token: gateway.token,
      traceparent: () => tracer.traceparent(),
    });
    const agent = new DiscoveryAgent({
      gateway: client,
      provider: new FakeProvider(pagedListing({ total: 5, pageSize: 5 })),
      agentId: 'agent-traced',
      account,
      waitSeconds: 0,
      once: true,
      chunking: { maxChunkResources: 3 },
      tracer,
    });
    await agent.run();
    await client.close();
    await tracer.shutdown();

    const spans = receiver.spans();
    const named = (name: string) => spans.filter((s) => s.name === name);
    expect(receiver.serviceNames()).toContain('driftmgr-agent');
    expect(named('driftmgr.lease').length).toBeGreaterThanOrEqual(2);
    const [discover, ...moreDiscover] = named('driftmgr.discover');
    expect(moreDiscover).toEqual([]);
    const results = named('driftmgr.results');
    // 5 resources in chunks of at most 3.
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r).toMatchObject({ traceId: discover!.traceId, parentSpanId: discover!.spanId });
    }
    // The gateway saw each results call under its results span, the other shard calls under the discover span.
    const calls = gateway.calls.filter(
      (c) => c.shardId !== undefined && gateway.shards.get(c.shardId)?.account === account,
    );
    const sent = calls.filter((c) => c.route === 'results').map((c) => parseTraceparent(c.traceparent)?.spanId);
    expect(sent.sort()).toEqual(results.map((r) => r.spanId).sort());
    const completed = calls.find((c) => c.route === 'complete');
    expect(parseTraceparent(completed?.traceparent)).toMatchObject({
      traceId: discover!.traceId,
      spanId: discover!.spanId,
    });
    const leases = gateway.calls.filter((c) => c.route === 'lease' && (c.body as any).account === account);
    const leaseSpans = new Set(named('driftmgr.lease').map((s) => s.spanId));
    expect(leases.every((c) => leaseSpans.has(parseTraceparent(c.traceparent)?.spanId ?? ''))).toBe(true);
  });

  it('without an endpoint records nothing, yet every gateway call carries a traceparent', async () => {
    const before = receiver.exports.length;
    const account = 'acct-untraced';
    gateway.addShard({ account, work: [{ type: 'AWS::EC2::Instance', region: 'us-east-1' }] });
    const client = new GatewayClient({ url: gateway.url, token: gateway.token });
    const agent = new DiscoveryAgent({
      gateway: client,
      provider: new FakeProvider(pagedListing({ total: 2, pageSize: 2 })),
      agentId: 'agent-untraced',
      account,
      waitSeconds: 0,
      once: true,
    });
    await agent.run();
    await client.close();
    const mine = gateway.calls.filter(
      (c) =>
        (c.route === 'lease' && (c.body as any).account === account) ||
        gateway.shards.get(c.shardId ?? '')?.account === account,
    );
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine.every((c) => parseTraceparent(c.traceparent) !== undefined)).toBe(true);
    expect(receiver.exports.length).toBe(before);
  });

  it('takes the endpoint from --otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT, and refuses one that is not http(s)', () => {
    const base = ['--gateway', 'http://127.0.0.1:8787', '--token', 't', '--provider', 'aws', '--account', '1'];
    expect(parseAgentConfig(base, {}).otlpEndpoint).toBeUndefined();
    expect(parseAgentConfig(base, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).otlpEndpoint).toBe(
      'http://collector:4318',
    );
    expect(parseAgentConfig([...base, '--otlp-endpoint', 'https://otel.example'], {}).otlpEndpoint).toBe(
      'https://otel.example',
    );
    expect(() => parseAgentConfig([...base, '--otlp-endpoint', 'ftp://x'], {})).toThrow(/--otlp-endpoint/);
  });
});
