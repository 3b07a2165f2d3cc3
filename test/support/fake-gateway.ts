import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import {
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
  type Lease,
  LeaseRequest,
  ResultsChunk,
  type WorkItem,
} from '../../contract/agent-protocol.js';
import { ErrorCode } from '../../contract/errors.js';
import type { DiscoveredResource, Provider } from '../../contract/resource.js';

/**
 * An in-process stand-in for the gateway's agent protocol (contract/agent-protocol.ts), for
 * unit tests of the agent: leases shards from a queue, stores chunks idempotently by
 * sequence, checks lease ids, makes continuation shards from `remaining`, records every
 * call, and can inject faults. The real gateway is tested end to end elsewhere.
 */

export type Route = 'lease' | 'heartbeat' | 'results' | 'complete' | 'fail';

export interface RecordedCall {
  route: Route;
  shardId?: string;
  status: number;
  at: number;
  body: unknown;
  /** The request's W3C traceparent header. */
  traceparent?: string;
}

export interface FakeShard {
  shard_id: string;
  job_id: string;
  provider: Provider;
  account: string;
  region: string;
  regions: string[];
  work: WorkItem[];
  shard_size: number;
  lease_ttl_seconds: number;
  status: 'pending' | 'leased' | 'succeeded' | 'failed';
  attempt: number;
  lease_id?: string;
  /** Chunks of the current attempt by sequence number. */
  chunks: Map<number, DiscoveredResource[]>;
  completed?: z.infer<typeof CompleteRequest>;
  failures: z.infer<typeof FailRequest>[];
  continuation_of?: string;
}

export interface Fault {
  status: number;
  code?: string;
  retryAfter?: string;
}

const ROUTES: { pattern: RegExp; route: Route }[] = [
  { pattern: /^\/api\/v1\/agents\/lease$/, route: 'lease' },
  { pattern: /^\/api\/v1\/shards\/([^/]+)\/heartbeat$/, route: 'heartbeat' },
  { pattern: /^\/api\/v1\/shards\/([^/]+)\/results$/, route: 'results' },
  { pattern: /^\/api\/v1\/shards\/([^/]+)\/complete$/, route: 'complete' },
  { pattern: /^\/api\/v1\/shards\/([^/]+)\/fail$/, route: 'fail' },
];

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class FakeGateway {
  readonly calls: RecordedCall[] = [];
  readonly shards = new Map<string, FakeShard>();
  /** Resources stored across all shards and attempts (duplicates not counted). */
  resourcesReceived = 0;
  /** Most shards leased at the same time. */
  maxConcurrentLeases = 0;
  private readonly faults = new Map<Route, Fault[]>();
  private readonly waiters = new Set<() => void>();
  private nextShard = 0;
  private nextLease = 0;

  private constructor(
    private readonly server: Server,
    readonly token: string,
  ) {}

  static async start(token = 'test-token'): Promise<FakeGateway> {
    const server = createServer();
    const gateway = new FakeGateway(server, token);
    server.on('request', (req, res) => void gateway.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  addShard(spec: Partial<FakeShard> & Pick<FakeShard, 'work'>): FakeShard {
    const shard: FakeShard = {
      shard_id: `shard-${this.nextShard++}`,
      job_id: 'job-1',
      provider: 'aws',
      account: '123456789012',
      region: spec.work[0]?.region ?? '*',
      regions: ['us-east-1'],
      shard_size: 1_000_000,
      lease_ttl_seconds: 60,
      status: 'pending',
      attempt: 0,
      chunks: new Map(),
      failures: [],
      ...spec,
    };
    this.shards.set(shard.shard_id, shard);
    this.wakeLeaseWaiters();
    return shard;
  }

  /** The next `count` calls to `route` get `fault` instead of being handled. */
  injectFault(route: Route, fault: Fault, count = 1): void {
    const queue = this.faults.get(route) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.faults.set(route, queue);
  }

  /** Takes the lease away, as an expiry or a re-lease to another agent would. */
  revokeLease(shardId: string): void {
    const shard = this.mustGet(shardId);
    shard.status = 'pending';
    shard.lease_id = undefined;
    this.wakeLeaseWaiters();
  }

  callsTo(route: Route): RecordedCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  resourcesOf(shardId: string): DiscoveredResource[] {
    const chunks = [...this.mustGet(shardId).chunks.entries()].sort(([a], [b]) => a - b);
    return chunks.flatMap(([, resources]) => resources);
  }

  async close(): Promise<void> {
    this.wakeLeaseWaiters();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private wakeLeaseWaiters(): void {
    for (const wake of this.waiters) wake();
  }

  private get leasedCount(): number {
    return [...this.shards.values()].filter((s) => s.status === 'leased').length;
  }

  private mustGet(shardId: string): FakeShard {
    const shard = this.shards.get(shardId);
    if (!shard) throw new Error(`no shard ${shardId}`);
    return shard;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = ROUTES.map((r) => ({ route: r.route, m: r.pattern.exec(req.url ?? '') })).find((r) => r.m);
    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : undefined;
    const shardId = match?.m?.[1] ? decodeURIComponent(match.m[1]) : undefined;
    const reply = await this.dispatch(match?.route, req, body, shardId, res);
    if (match) {
      const traceparent = req.headers.traceparent as string | undefined;
      this.calls.push({ route: match.route, shardId, status: reply.status, at: Date.now(), body, traceparent });
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  private async dispatch(
    route: Route | undefined,
    req: IncomingMessage,
    body: unknown,
    shardId: string | undefined,
    res: ServerResponse,
  ): Promise<Reply> {
    if (!route) return refuse(404, ErrorCode.notFound, 'no such route');
    if (req.headers.authorization !== `Bearer ${this.token}`) return refuse(401, ErrorCode.unauthorized, 'bad token');
    const fault = this.faults.get(route)?.shift();
    if (fault) {
      const reply = refuse(fault.status, fault.code ?? 'injected', 'injected fault');
      return fault.retryAfter ? { ...reply, headers: { 'retry-after': fault.retryAfter } } : reply;
    }
    if (route === 'lease') return this.lease(body, res);
    const shard = shardId ? this.shards.get(shardId) : undefined;
    if (!shard) return refuse(404, ErrorCode.notFound, `shard ${shardId} not found`);
    switch (route) {
      case 'heartbeat':
        return this.withLease(shard, HeartbeatRequest, body, () => ({
          status: 200,
          body: { lease_expires_at: new Date(Date.now() + shard.lease_ttl_seconds * 1000).toISOString() },
        }));
      case 'results':
        return this.withLease(shard, ResultsChunk, body, (chunk) => this.storeChunk(shard, chunk));
      case 'complete':
        return this.withLease(shard, CompleteRequest, body, (done) => this.complete(shard, done));
      case 'fail':
        return this.withLease(shard, FailRequest, body, (failure) => this.fail(shard, failure));
    }
  }

  private async lease(body: unknown, res: ServerResponse): Promise<Reply> {
    const parsed = LeaseRequest.safeParse(body);
    if (!parsed.success) return refuse(400, ErrorCode.badRequest, parsed.error.message);
    const req = parsed.data;
    const deadline = Date.now() + req.wait_seconds * 1000;
    let hungUp = false;
    res.on('close', () => (hungUp = true));
    for (;;) {
      const shard = [...this.shards.values()].find(
        (s) => s.status === 'pending' && s.provider === req.provider && s.account === req.account,
      );
      // A client that hung up must not be handed a shard it will never see.
      if (hungUp || !this.server.listening) return { status: 204 };
      if (shard) return { status: 200, body: this.grant(shard) };
      if (Date.now() >= deadline) return { status: 204 };
      await this.waitForShard(deadline - Date.now(), res);
    }
  }

  private grant(shard: FakeShard): Lease {
    shard.status = 'leased';
    shard.attempt += 1;
    shard.lease_id = `lease-${this.nextLease++}`;
    shard.chunks = new Map();
    this.maxConcurrentLeases = Math.max(this.maxConcurrentLeases, this.leasedCount);
    return {
      shard_id: shard.shard_id,
      job_id: shard.job_id,
      lease_id: shard.lease_id,
      attempt: shard.attempt,
      lease_expires_at: new Date(Date.now() + shard.lease_ttl_seconds * 1000).toISOString(),
      lease_ttl_seconds: shard.lease_ttl_seconds,
      provider: shard.provider,
      account: shard.account,
      region: shard.region,
      regions: shard.regions,
      work: shard.work,
      shard_size: shard.shard_size,
    };
  }

  private waitForShard(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        res.off('close', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
      res.once('close', wake);
    });
  }

  private withLease<S extends z.ZodType>(
    shard: FakeShard,
    schema: S,
    body: unknown,
    handle: (req: z.infer<S>) => Reply,
  ): Reply {
    const parsed = schema.safeParse(body);
    if (!parsed.success) return refuse(400, ErrorCode.badRequest, parsed.error.message);
    const req = parsed.data as z.infer<S> & { lease_id: string };
    if (shard.status === 'succeeded' || shard.status === 'failed') {
      return refuse(409, ErrorCode.shardFinished, `shard is already ${shard.status}`);
    }
    if (shard.status !== 'leased' || shard.lease_id !== req.lease_id) {
      return refuse(409, ErrorCode.leaseConflict, 'this lease is no longer valid');
    }
    return handle(req);
  }

  private storeChunk(shard: FakeShard, chunk: z.infer<typeof ResultsChunk>): Reply {
    const duplicate = shard.chunks.has(chunk.sequence);
    if (!duplicate) {
      shard.chunks.set(chunk.sequence, chunk.resources);
      this.resourcesReceived += chunk.resources.length;
    }
    return { status: 200, body: { accepted: chunk.resources.length, duplicate } };
  }

  private complete(shard: FakeShard, done: z.infer<typeof CompleteRequest>): Reply {
    const stored = [...shard.chunks.values()].reduce((n, c) => n + c.length, 0);
    if (stored !== done.resource_count) {
      return refuse(
        409,
        ErrorCode.chunksMissing,
        `agent reports ${done.resource_count} resources but ${stored} were stored`,
      );
    }
    shard.status = 'succeeded';
    shard.lease_id = undefined;
    shard.completed = done;
    const remaining = done.remaining ?? [];
    const continuation =
      remaining.length > 0
        ? this.addShard({ ...shardScope(shard), work: remaining, continuation_of: shard.shard_id })
        : undefined;
    return {
      status: 200,
      body: {
        shard_id: shard.shard_id,
        status: 'succeeded',
        ...(continuation ? { continuation_shard_id: continuation.shard_id } : {}),
      },
    };
  }

  private fail(shard: FakeShard, failure: z.infer<typeof FailRequest>): Reply {
    shard.failures.push(failure);
    shard.lease_id = undefined;
    shard.status = failure.retryable ? 'pending' : 'failed';
    this.wakeLeaseWaiters();
    return { status: 200, body: { status: shard.status } };
  }
}

function shardScope(shard: FakeShard): Partial<FakeShard> {
  const { job_id, provider, account, region, regions, shard_size, lease_ttl_seconds } = shard;
  return { job_id, provider, account, region, regions, shard_size, lease_ttl_seconds };
}

function refuse(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
