import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { createAzureHandler } from '../../emulator/azure/handler.js';
import { createSelfSignedCert, type TlsKeyPair } from '../../emulator/azure/tls.js';
import { createRng } from '../../emulator/rng.js';
import type { EmulatorContext, Fault } from '../../emulator/types.js';

export interface TestContextOptions {
  /** Probability that a call gets an injected fault, drawn from a seeded stream. */
  faultRate?: number;
  /** Replaces every bucket's size, so a test can run into throttling with a handful of calls. */
  bucket?: { capacity: number; refillPerSecond: number };
  seed?: number;
}

const FAULTS: readonly Exclude<Fault, null>[] = ['throttle', 'server-error', 'drop'];

/** A small EmulatorContext for tests: seeded faults, optional tiny buckets, call counts. */
export class TestEmulatorContext implements EmulatorContext {
  readonly calls = new Map<string, number>();
  readonly faults = { throttle: 0, 'server-error': 0, drop: 0 };
  rateLimited = 0;
  /** When set, the next calls get exactly these faults, in order. */
  forcedFaults: Fault[] = [];
  private readonly random: () => number;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly opts: TestContextOptions = {}) {
    this.random = createRng(opts.seed ?? 7);
  }

  fault(): Fault {
    const forced = this.forcedFaults.shift();
    const fault =
      forced !== undefined
        ? forced
        : this.random() < (this.opts.faultRate ?? 0)
          ? (FAULTS[Math.floor(this.random() * 3)] as Fault)
          : null;
    if (fault) this.faults[fault] += 1;
    return fault;
  }

  takeToken(key: string, capacity: number, refillPerSecond: number): boolean {
    const limit = this.opts.bucket ?? { capacity, refillPerSecond };
    const now = Date.now();
    const b = this.buckets.get(key) ?? { tokens: limit.capacity, at: now };
    b.tokens = Math.min(limit.capacity, b.tokens + ((now - b.at) / 1000) * limit.refillPerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) {
      this.rateLimited += 1;
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  async delay(): Promise<void> {}

  record(_provider: Provider, action: string): void {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
  }

  callCount(action: string): number {
    return this.calls.get(action) ?? 0;
  }
}

export interface AzureTestServer {
  baseUrl: string;
  ctx: TestEmulatorContext;
  close(): Promise<void>;
}

let testCert: Promise<TlsKeyPair> | undefined;

/**
 * One certificate for every test server of the process, trusted in-process. The real agent
 * gets it through NODE_EXTRA_CA_CERTS, which Node reads only at start-up; tests add it to the
 * default CA list instead (keeping verification on). Node fixes the default CA list of a TLS
 * client once it has connected, hence one certificate rather than one per server.
 */
function trustedTestCert(): Promise<TlsKeyPair> {
  testCert ??= createSelfSignedCert().then((material) => {
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), material.cert]);
    return material;
  });
  return testCert;
}

/** The Azure handler on an https server on a free loopback port. */
export async function startAzureTestServer(
  resources: DiscoveredResource[],
  opts: TestContextOptions = {},
): Promise<AzureTestServer> {
  const ctx = new TestEmulatorContext(opts);
  const handler = createAzureHandler(resources, ctx);
  const material = await trustedTestCert();
  const server = https.createServer(material, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handler(req, Buffer.concat(chunks), res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'EmulatorError', message: String(err) } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    ctx,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
