import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules/.bin/tsx');
const CLI = join(process.cwd(), 'emulator/cli.ts');

interface Exit {
  code: number | null;
  stderr: string;
}

function runCli(args: string[]) {
  const child = spawn(TSX, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    exited.then((e) => reject(new Error(`exited ${e.code} before printing: ${e.stderr}`)));
  });
  firstLine.catch(() => undefined); // a test that only waits for the exit never reads the line
  return { child, firstLine, exited };
}

describe('driftmgr-emulator CLI', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('prints one JSON line describing the emulator, serves, and exits 0 on SIGTERM', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'emu-cli-'));
    dirs.push(stateDir);
    const { child, firstLine, exited } = runCli([
      '--port',
      '0',
      '--seed',
      '9',
      '--resources',
      '200',
      '--state-dir',
      stateDir,
    ]);
    try {
      const info = JSON.parse(await firstLine);
      expect(Object.keys(info)).toEqual(
        expect.arrayContaining(['endpoints', 'accounts', 'regions', 'resources', 'by_type', 'ca_cert_file', 'env']),
      );
      expect(Object.keys(info.endpoints).sort()).toEqual(['aws', 'azure', 'gcp']);
      expect(info.accounts.aws).toHaveLength(2);
      expect(Object.values(info.by_type as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(info.resources);
      expect(info.ca_cert_file.startsWith(stateDir)).toBe(true);
      expect(await readFile(info.ca_cert_file, 'utf8')).toContain('BEGIN CERTIFICATE');
      expect(Object.keys(info.env).sort()).toEqual(['aws', 'azure', 'gcp']);
      const stats = await fetch(`${info.endpoints.gcp}/__emulator/stats`);
      expect(stats.status).toBe(200);

      // The printed environment is what an agent for the second AWS account would run with.
      const account = info.accounts.aws[1];
      const env = info.env_by_account.aws[account];
      const ec2 = new EC2Client({
        region: 'eu-west-1',
        endpoint: env.AWS_ENDPOINT_URL_EC2,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
      });
      const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
      ec2.destroy();
      expect(Vpcs.length).toBeGreaterThan(0);
      expect(new Set(Vpcs.map((vpc) => vpc.OwnerId))).toEqual(new Set([account]));
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  });

  it('writes the Terraform state and its ground truth, at the asked drift rate, before announcing itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-cli-'));
    dirs.push(dir);
    const statePath = join(dir, 'estate.tfstate');
    const truthPath = join(dir, 'truth.json');
    const { child, firstLine, exited } = runCli([
      '--seed',
      '9',
      '--resources',
      '200',
      '--write-state',
      statePath,
      '--write-truth',
      truthPath,
      '--drift-rate',
      '0.2',
    ]);
    try {
      const info = JSON.parse(await firstLine);
      const state = JSON.parse(await readFile(statePath, 'utf8'));
      expect(state.version).toBe(4);
      expect(state.resources.length).toBeGreaterThan(0);
      const truth = JSON.parse(await readFile(truthPath, 'utf8'));
      expect(truth.seed).toBe(9);
      expect(truth.drift_rate).toBe(0.2);
      expect(truth.drift.length).toBeGreaterThan(0.1 * info.resources);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  });

  it.concurrent.each([
    [['--fault-rate', '2'], /fault-rate/],
    [['--drop-rate', '-0.1'], /drop-rate/],
    [['--throttle-rate', '0.7', '--error-rate', '0.7'], /add up to 1\.4/],
    [['--resources', 'many'], /resources/],
    [['--no-such-flag'], /no-such-flag/],
  ])('rejects bad flags %j with exit code 2', async (args, message) => {
    const { exited } = runCli(args);
    const { code, stderr } = await exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
