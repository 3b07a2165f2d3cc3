import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGateway } from '../test/support/fake-gateway.js';
import { agentCommand, parseAgentConfig, UsageError } from './config.js';

const BIN = fileURLToPath(new URL('../bin/driftmgr-agent.js', import.meta.url));

interface Exit {
  code: number | null;
  stderr: string;
}

/** Runs the real bin; `whileRunning` may act on the process (e.g. signal it) before it exits. */
function runAgent(
  args: string[],
  env: Record<string, string> = {},
  whileRunning?: (kill: (s: NodeJS.Signals) => void) => Promise<void>,
): Promise<Exit> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'pipe'] as const,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  void whileRunning?.((signal) => child.kill(signal));
  return exited;
}

function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const quietCommand = () => agentCommand().configureOutput({ writeErr: () => {}, writeOut: () => {} });

describe('parseAgentConfig', () => {
  const required = ['--gateway', 'https://gw.example', '--token', 't', '--provider', 'gcp', '--account', 'proj-1'];

  it('reads flags, with defaults for the rest', () => {
    const config = parseAgentConfig(
      [...required, '--regions', 'us-central1, europe-west1', '--once'],
      {},
      quietCommand(),
    );
    expect(config).toMatchObject({
      gateway: 'https://gw.example',
      provider: 'gcp',
      account: 'proj-1',
      regions: ['us-central1', 'europe-west1'],
      resourceTypes: undefined,
      concurrency: 4,
      metricsPort: 0,
      once: true,
      waitSeconds: 20,
    });
    expect(config.agentId).toMatch(/-\d+$/);
  });

  it('falls back to the environment, and flags win over it', () => {
    const env = {
      DRIFTMGR_GATEWAY: 'https://env-gw:8787',
      DRIFTMGR_AGENT_TOKEN: 'env-token',
      DRIFTMGR_PROVIDER: 'azure',
      DRIFTMGR_ACCOUNT: 'sub-1',
      DRIFTMGR_REGIONS: 'westeurope',
      DRIFTMGR_RESOURCE_TYPES: 'Microsoft.Compute/virtualMachines,Microsoft.Compute/disks',
      DRIFTMGR_CONCURRENCY: '8',
    };
    const config = parseAgentConfig(['--concurrency', '2', '--account', 'sub-2'], env, quietCommand());
    expect(config).toMatchObject({
      gateway: 'https://env-gw:8787',
      token: 'env-token',
      provider: 'azure',
      account: 'sub-2',
      regions: ['westeurope'],
      resourceTypes: ['Microsoft.Compute/virtualMachines', 'Microsoft.Compute/disks'],
      concurrency: 2,
    });
  });

  it('proves the account only for AWS, only with a token the API made', () => {
    const token = `tok_0abc.${'A'.repeat(43)}`;
    const aws = ['--gateway', 'https://gw.example', '--provider', 'aws', '--account', '123456789012'];
    const parse = (args: string[], env: Record<string, string> = {}) => parseAgentConfig(args, env, quietCommand());
    expect(parse([...aws, '--token', token, '--prove-account']).proveAccount).toBe(true);
    expect(parse([...aws, '--token', token], { DRIFTMGR_PROVE_ACCOUNT: 'true' }).proveAccount).toBe(true);
    expect(parse([...aws, '--token', token]).proveAccount).toBe(false);
    expect(() => parse([...required, '--prove-account'])).toThrow(
      /--prove-account \(or DRIFTMGR_PROVE_ACCOUNT\): gcp agents cannot prove their account yet/,
    );
    expect(() => parse([...aws, '--token', 'a-bootstrap-secret', '--prove-account'])).toThrow(
      /proof is bound to a token made by POST \/api\/v1\/tokens/,
    );
    expect(() => parse([...aws, '--token', token], { DRIFTMGR_PROVE_ACCOUNT: 'yes' })).toThrow(UsageError);
  });

  it('refuses a plain-http gateway anywhere but this machine', () => {
    const withGateway = (gateway: string) =>
      parseAgentConfig([...required.slice(2), '--gateway', gateway], {}, quietCommand());
    for (const gateway of [
      'http://gw.example',
      'http://10.0.0.5:8787',
      'http://[::ffff:7f00:1]',
      'http://localhost.evil.example',
      'http://128.0.0.1',
    ]) {
      expect(() => withGateway(gateway), gateway).toThrow(
        /--gateway \(or DRIFTMGR_GATEWAY\): must be https: plain http is refused except to this machine/,
      );
    }
    for (const gateway of [
      'https://gw.example',
      'http://127.0.0.1:8787',
      'http://127.9.8.7',
      'http://localhost:8787',
      'http://LOCALHOST',
      'http://[::1]:8787',
    ]) {
      expect(withGateway(gateway).gateway, gateway).toBe(gateway);
    }
  });

  it('names every bad or missing setting', () => {
    const attempt = () =>
      parseAgentConfig(['--gateway', 'ftp://x', '--provider', 'ibm', '--concurrency', '0'], {}, quietCommand());
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(
      /--gateway .*http\(s\) URL.*--token .*required.*--provider .*--account .*required.*--concurrency/,
    );
  });
});

describe('driftmgr-agent bin', () => {
  let gateway: FakeGateway;
  let silentEc2: Server;

  beforeAll(async () => {
    gateway = await FakeGateway.start();
    // An EC2 endpoint that never answers: a shard on it runs until the agent is stopped.
    silentEc2 = createServer(() => {});
    await new Promise<void>((resolve) => silentEc2.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    silentEc2.closeAllConnections();
    await new Promise((resolve) => silentEc2.close(resolve));
    await gateway.close();
  });

  const agentEnv = () => ({
    DRIFTMGR_GATEWAY: gateway.url,
    DRIFTMGR_AGENT_TOKEN: gateway.token,
    DRIFTMGR_PROVIDER: 'aws',
    AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:${(silentEc2.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'us-east-1',
  });

  it('exits 2 with a message on bad or missing flags', async () => {
    const unknown = await runAgent(['--gateway', 'http://x', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const missing = await runAgent(['--provider', 'aws']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--gateway \(or DRIFTMGR_GATEWAY\).*--account/);
  });

  it('exits 2 naming the gateway flag when it is plain http to another machine', async () => {
    const result = await runAgent([
      '--gateway',
      'http://gw.example:8787',
      '--token',
      't',
      '--provider',
      'aws',
      '--account',
      '1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--gateway (or DRIFTMGR_GATEWAY): must be https: plain http is refused except to this machine',
    );
  });

  it('with --once exits 0 when the gateway has no work', async () => {
    const result = await runAgent(['--account', '000000000001', '--once', '--wait-seconds', '0'], agentEnv());
    expect(result.code).toBe(0);
    const messages = logLines(result.stderr).map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['agent started', 'leasing stopped', 'agent stopped']));
    // One lease call per loop (default concurrency 4), each answered 204.
    const leases = gateway.calls.filter((c) => c.route === 'lease');
    expect(leases.length).toBeGreaterThanOrEqual(1);
    expect(leases.length).toBeLessThanOrEqual(4);
    expect(leases.every((c) => c.status === 204)).toBe(true);
  });

  it('on SIGTERM hands its running shard back and exits 0', async () => {
    const account = '000000000002';
    const shard = gateway.addShard({ account, work: [{ type: 'AWS::EC2::VPC', region: 'us-east-1' }] });
    const result = await runAgent(
      ['--account', account, '--grace-seconds', '0.2', '--wait-seconds', '1'],
      agentEnv(),
      async (kill) => {
        while (shard.status !== 'leased') await sleep(20);
        kill('SIGTERM');
      },
    );
    expect(result.code).toBe(0);
    expect(shard.failures).toMatchObject([{ reason: 'agent shutting down', retryable: true }]);
    expect(shard.status).toBe('pending');
    const lines = logLines(result.stderr);
    expect(lines.find((l) => l.msg === 'shard handed back')).toMatchObject({ level: 'info', shard_id: shard.shard_id });
    expect(lines.every((l) => typeof l.ts === 'string' && typeof l.level === 'string')).toBe(true);
  });
});
