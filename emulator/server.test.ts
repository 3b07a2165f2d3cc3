import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../contract/resource.js';
import { EmulatorControls } from './faults.js';
import { type RunningEmulator, serveCloud, startEmulator } from './server.js';

const PROVIDERS: Provider[] = ['aws', 'azure', 'gcp'];

/** An EC2 client configured from exactly what the emulator tells an agent to use. */
function ec2For(emulator: RunningEmulator, region = 'us-east-1'): EC2Client {
  const env = emulator.agentEnv('aws');
  return new EC2Client({
    region,
    endpoint: env.AWS_ENDPOINT_URL_EC2 ?? env.AWS_ENDPOINT_URL,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    maxAttempts: 1,
  });
}

/** GET over http or https (trusting only the emulator's CA file), with a keep-alive agent. */
async function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  const client = url.startsWith('https:') ? https : http;
  const agent = new client.Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
  try {
    return await new Promise((resolve, reject) => {
      client
        .get(url, { agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
  } finally {
    agent.destroy();
  }
}

/** Listening and connected sockets of this process, counted once pending closes have run. */
async function openNetworkHandles(): Promise<number> {
  // libuv frees a closed handle in a later loop turn than the close callback runs.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap' || kind === 'TCPSocketWrap').length;
}

describe('startEmulator', () => {
  let emulator: RunningEmulator;
  let handlesBefore: number;

  beforeAll(async () => {
    handlesBefore = await openNetworkHandles();
    emulator = await startEmulator({ port: 0, seed: 4, resources: 300 });
  });
  afterAll(() => emulator?.close());

  it('serves each cloud on its own port, azure over TLS trusted through the written CA file', async () => {
    const ports = PROVIDERS.map((p) => new URL(emulator.endpoints[p]).port);
    expect(new Set(ports).size).toBe(3);
    expect(emulator.endpoints.aws).toMatch(/^http:\/\//);
    expect(emulator.endpoints.gcp).toMatch(/^http:\/\//);
    expect(emulator.endpoints.azure).toMatch(/^https:\/\//);
    const ca = await readFile(emulator.caCertFile, 'utf8');
    for (const provider of PROVIDERS) {
      const { status, body } = await get(`${emulator.endpoints[provider]}/__emulator/stats`, ca);
      expect(status).toBe(200);
      expect(Object.keys(JSON.parse(body))).toEqual(['calls', 'faults', 'rateLimited']);
    }
  });

  it('answers the real EC2 SDK from the estate and counts the call', async () => {
    const ec2 = ec2For(emulator);
    const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
    ec2.destroy();
    const estateVpcs = new Set(emulator.estate.resources.filter((r) => r.type === 'AWS::EC2::VPC').map((r) => r.id));
    expect(Vpcs.length).toBeGreaterThan(0);
    for (const vpc of Vpcs) expect(estateVpcs).toContain(vpc.VpcId);
    expect(emulator.stats().calls.aws.DescribeVpcs).toBe(1);
    const { body } = await get(`${emulator.endpoints.aws}/__emulator/stats`);
    expect(JSON.parse(body).calls.aws.DescribeVpcs).toBe(1);
  });

  it('hands each cloud agent an environment that names its endpoint', () => {
    for (const provider of PROVIDERS) {
      const env = emulator.agentEnv(provider);
      expect(Object.values(env).join(' '), provider).toContain(new URL(emulator.endpoints[provider]).port);
    }
    expect(emulator.agentEnv('azure').NODE_EXTRA_CA_CERTS).toBe(emulator.caCertFile);
  });

  it('closes promptly with keep-alive clients connected and leaves no open handles', async () => {
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      http
        .get(`${emulator.endpoints.gcp}/__emulator/stats`, { agent }, (res) => res.resume().on('end', resolve))
        .on('error', reject),
    );
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    agent.destroy();
    expect(await openNetworkHandles()).toBe(handlesBefore);
  });
});

describe('emulator switches', () => {
  it('fails every call at fault rate 1', async () => {
    const emulator = await startEmulator({ port: 0, seed: 4, resources: 100, faultRate: 1 });
    try {
      const ec2 = ec2For(emulator);
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => ec2.send(new DescribeVpcsCommand({}))));
      ec2.destroy();
      expect(outcomes.map((o) => o.status)).toEqual(new Array(6).fill('rejected'));

      const ca = await readFile(emulator.caCertFile, 'utf8');
      const listings = {
        azure: `/subscriptions/${emulator.accounts.azure[0]}/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`,
        gcp: `/v1/projects/${emulator.accounts.gcp[0]}/assets?assetTypes=compute.googleapis.com%2FInstance&contentType=RESOURCE`,
      };
      for (const [provider, path] of Object.entries(listings)) {
        for (let i = 0; i < 6; i++) {
          const reply = await get(`${emulator.endpoints[provider as Provider]}${path}`, ca).catch(() => ({
            status: 0,
          }));
          expect([0, 429, 500, 503], provider).toContain(reply.status);
        }
      }
      const { faults } = emulator.stats();
      expect(faults.throttle + faults['server-error'] + faults.drop).toBe(18);
    } finally {
      await emulator.close();
    }
  });

  it('serves one cloud alone with every resource when asked', async () => {
    const emulator = await startEmulator({ port: 0, seed: 4, resources: 300, only: 'aws' });
    try {
      expect(emulator.accounts.aws).toHaveLength(2);
      expect(emulator.accounts.azure).toEqual([]);
      expect(emulator.accounts.gcp).toEqual([]);
      expect(emulator.estate.resources.length).toBeGreaterThanOrEqual(300);
      expect(new Set(emulator.estate.resources.map((r) => r.provider))).toEqual(new Set(['aws']));
    } finally {
      await emulator.close();
    }
  });

  it('adds the configured latency to every call', async () => {
    const emulator = await startEmulator({ port: 0, seed: 4, resources: 100, latencyMs: 60 });
    try {
      const ec2 = ec2For(emulator);
      await ec2.send(new DescribeVpcsCommand({})); // first call also pays for connection setup
      const started = performance.now();
      await ec2.send(new DescribeVpcsCommand({}));
      expect(performance.now() - started).toBeGreaterThanOrEqual(60);
      ec2.destroy();
      const ca = await readFile(emulator.caCertFile, 'utf8');
      for (const provider of ['azure', 'gcp'] as const) {
        const t0 = performance.now();
        await get(`${emulator.endpoints[provider]}/no-such-api`, ca);
        expect(performance.now() - t0, provider).toBeGreaterThanOrEqual(60);
      }
    } finally {
      await emulator.close();
    }
  });

  it('puts the clouds on P, P+1 and P+2 when given a port', async () => {
    const base = await freePortWithThreeAbove();
    const emulator = await startEmulator({ port: base, seed: 4, resources: 100 });
    try {
      expect(PROVIDERS.map((p) => Number(new URL(emulator.endpoints[p]).port))).toEqual([base, base + 1, base + 2]);
    } finally {
      await emulator.close();
    }
  });
});

describe('startEmulator on a busy port', () => {
  it('fails with the listen error and closes the listeners it had opened', async () => {
    const base = await freePortWithThreeAbove();
    const squatter = http.createServer();
    await new Promise<void>((resolve) => squatter.listen(base + 1, '127.0.0.1', resolve));
    const handlesBefore = await openNetworkHandles();
    try {
      await expect(startEmulator({ port: base, seed: 4, resources: 100 })).rejects.toThrow(/EADDRINUSE/);
      expect(await openNetworkHandles()).toBe(handlesBefore);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

describe('serveCloud', () => {
  it('turns a throwing handler into a JSON 500, keeps serving, and refuses oversized bodies', async () => {
    const controls = new EmulatorControls();
    let calls = 0;
    const server = http.createServer(
      serveCloud(
        'gcp',
        async (_req, body, res) => {
          calls += 1;
          if (calls === 1) throw new Error('boom');
          res.end(`echo:${body.toString()}`);
        },
        () => controls.stats(),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    try {
      const failed = await fetch(url);
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ error: { code: 'EmulatorError', message: 'boom' } });
      const ok = await fetch(url, { method: 'POST', body: 'a'.repeat(100_000) });
      expect(await ok.text()).toBe(`echo:${'a'.repeat(100_000)}`);
      const oversized = await fetch(url, { method: 'POST', body: new Uint8Array(11 * 1024 * 1024) });
      expect(oversized.status).toBe(413);
      expect(calls).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** A free port P whose P+1, P+2 and P+3 (the state backends) are free too (checked by binding them). */
async function freePortWithThreeAbove(): Promise<number> {
  const bind = (port: number) =>
    new Promise<http.Server | undefined>((resolve) => {
      const s = http.createServer();
      s.once('error', () => resolve(undefined));
      s.listen(port, '127.0.0.1', () => resolve(s));
    });
  for (let attempt = 0; attempt < 20; attempt++) {
    const probe = await bind(0);
    const base = (probe!.address() as AddressInfo).port;
    await new Promise((resolve) => probe!.close(resolve));
    if (base > 65532) continue;
    const above = await Promise.all([bind(base + 1), bind(base + 2), bind(base + 3)]);
    await Promise.all(above.map((s) => s && new Promise((resolve) => s.close(resolve))));
    if (above.every(Boolean)) return base;
  }
  throw new Error('no free run of four ports');
}
