import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DiscoveredResource } from '../../contract/resource.js';
import { createAwsHandler } from '../../emulator/aws/handler.js';
import type { EmulatorContext, Fault } from '../../emulator/types.js';

export interface TestContextOptions {
  faultRate?: number;
  /** Which faults a failing call gets, chosen in turn. */
  faults?: Exclude<Fault, null>[];
  /** Overrides every bucket's capacity and refill (a tiny bucket forces throttling). */
  bucket?: { capacity: number; refillPerSecond: number };
}

/** A small EmulatorContext: random faults, real token buckets, no latency, call counts. */
export class TestContext implements EmulatorContext {
  readonly calls = new Map<string, number>();
  readonly faultsServed = new Map<string, number>();
  throttledByBucket = 0;
  private readonly buckets = new Map<string, { tokens: number; last: number }>();
  private faultTurn = 0;

  constructor(private readonly opts: TestContextOptions = {}) {}

  fault(): Fault {
    if (Math.random() >= (this.opts.faultRate ?? 0)) return null;
    const faults = this.opts.faults ?? ['throttle', 'server-error', 'drop'];
    const fault = faults[this.faultTurn++ % faults.length]!;
    this.faultsServed.set(fault, (this.faultsServed.get(fault) ?? 0) + 1);
    return fault;
  }

  takeToken(key: string, capacity: number, refillPerSecond: number): boolean {
    const cap = this.opts.bucket?.capacity ?? capacity;
    const refill = this.opts.bucket?.refillPerSecond ?? refillPerSecond;
    const now = Date.now();
    const b = this.buckets.get(key) ?? { tokens: cap, last: now };
    b.tokens = Math.min(cap, b.tokens + ((now - b.last) / 1000) * refill);
    b.last = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) {
      this.throttledByBucket++;
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  async delay(): Promise<void> {}

  record(_provider: string, action: string): void {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
  }
}

export interface RunningEmulator {
  url: string;
  ctx: TestContext;
  close(): Promise<void>;
}

/** The AWS handler on a plain-http server (on a free port unless given one), as emulator/server.ts hosts it. */
export async function startAwsEmulator(
  resources: DiscoveredResource[],
  ctx = new TestContext(),
  port = 0,
): Promise<RunningEmulator> {
  const handler = createAwsHandler(resources, ctx);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handler(req, Buffer.concat(chunks), res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    ctx,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
