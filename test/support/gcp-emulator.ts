import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiscoveredResource } from '../../contract/resource.js';
import { EmulatorControls } from '../../emulator/faults.js';
import { agentEnv } from '../../emulator/gcp/env.js';
import { createGcpHandler } from '../../emulator/gcp/handler.js';
import { createRng } from '../../emulator/rng.js';
import { serveCloud } from '../../emulator/server.js';
import type { EmulatorContext } from '../../emulator/types.js';

/** Test-only: the GCP handler on a loopback port with its own controls and agent environment. */

export interface TestBucket {
  capacity: number;
  refillPerSecond: number;
}

export interface GcpTestServerOptions {
  faultRate?: number;
  seed?: number;
  /** Replaces the published ListAssets quota so a test can run into it (or never). */
  bucket?: TestBucket;
}

export interface GcpTestServer {
  baseUrl: string;
  stateDir: string;
  controls: EmulatorControls;
  /** Served calls of one action so far. */
  calls(action: string): number;
  /** The environment an agent gets, applied to process.env until close(). */
  applyAgentEnv(): Record<string, string>;
  close(): Promise<void>;
}

/** A context whose buckets use the test's size instead of the one the handler asks for. */
function withBucket(controls: EmulatorControls, bucket: TestBucket | undefined): EmulatorContext {
  if (!bucket) return controls;
  return {
    fault: () => controls.fault(),
    delay: () => controls.delay(),
    record: (provider, action) => controls.record(provider, action),
    takeToken: (key) => controls.takeToken(key, bucket.capacity, bucket.refillPerSecond),
  };
}

export async function startGcpTestServer(
  resources: DiscoveredResource[],
  opts: GcpTestServerOptions = {},
): Promise<GcpTestServer> {
  const controls = new EmulatorControls({ faultRate: opts.faultRate ?? 0, random: createRng(opts.seed ?? 1) });
  const handler = createGcpHandler(resources, withBucket(controls, opts.bucket));
  const server = http.createServer(serveCloud('gcp', handler, () => controls.stats()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'driftmgr-gcp-test-'));
  const saved = new Map<string, string | undefined>();

  return {
    baseUrl,
    stateDir,
    controls,
    calls: (action) => controls.stats().calls.gcp[action] ?? 0,
    applyAgentEnv() {
      const env = agentEnv({ baseUrl, stateDir });
      for (const [key, value] of Object.entries(env)) {
        if (!saved.has(key)) saved.set(key, process.env[key]);
        process.env[key] = value;
      }
      return env;
    },
    async close() {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
