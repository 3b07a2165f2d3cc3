import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StateSourceView } from '../../contract/state-sources.js';
import type { StoredState } from '../../contract/states.js';
import { type RunningEmulator, startEmulator } from '../../emulator/server.js';
import { SAMPLE_STATE_PLACES } from '../../emulator/state-backends/sample.js';
import { ensureAdminToken, type GatewayCall, gatewayClient, mintAgentToken } from '../../scripts/local-stack.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { until } from '../support/until.js';

// The real system: wrangler dev (dispatcher objects, D1), the emulator's S3 holding the sample
// estate's AWS state in two workspaces, and a real agent process with an agent token bound to the
// bucket owner's account. A registered S3 source must end up as stored states; reading it again
// changes nothing, and a later serial in the bucket replaces just that state.

const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-state-sources-'));
const children: ChildProcess[] = [];
let emulator: RunningEmulator;
let call: GatewayCall;
let base: string;
let gateway: TestGateway;

const { bucket, key } = SAMPLE_STATE_PLACES.s3;
const DEFAULT_NAME = `s3://${bucket}/${key}`;
const STAGING_KEY = `env:/staging/${key}`;
const STAGING_NAME = `s3://${bucket}/${STAGING_KEY}`;

/** The source once a read that ended after `after` is recorded. */
const readAfter = (sourceId: string, after: string) =>
  until(
    `a read of ${sourceId} after ${after}`,
    async () => {
      const source = await call<StateSourceView>('GET', `/api/v1/state-sources/${sourceId}`);
      return source.last_read && source.last_read.at > after ? source : undefined;
    },
    60_000,
  );

const states = async () =>
  new Map(
    (await call<{ states: StoredState[] }>('GET', '/api/v1/states')).states
      .filter((s) => s.name.startsWith(`s3://${bucket}/`))
      .map((s) => [s.name, s]),
  );

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 21, resources: 300, sampleStates: true });
  gateway = await startTestGateway(persistDir);
  base = gateway.url;
  call = gatewayClient(base, ensureAdminToken());
}, 240_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  await gateway?.stop();
  await emulator?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

it('reads a registered S3 source into stored states, skips it unchanged, and replaces a later serial', async () => {
  const account = emulator.accounts.aws[0]!;
  const sample = emulator.stateObjects.s3.get(bucket)!.objects.get(key)!.bytes.toString('utf8');
  const staging = { ...JSON.parse(sample), lineage: '5a5a5a5a-0000-4000-8000-000000000001', serial: 1 };
  emulator.stateObjects.putS3(bucket, account, STAGING_KEY, JSON.stringify(staging));

  const { source_id } = await call<{ source_id: string }>('POST', '/api/v1/state-sources', {
    type: 's3',
    location: `s3://${bucket}/estate`,
    provider: 'aws',
    account,
  });
  const token = await mintAgentToken(call, 'aws', [account], 'state sources e2e');
  const args = ['bin/driftmgr-agent.js', '--gateway', base, '--provider', 'aws', '--account', account];
  args.push('--regions', emulator.regions.aws.join(','), '--wait-seconds', '2', '--log-level', 'warn');
  children.push(
    spawn(process.execPath, args, {
      env: { ...process.env, ...emulator.agentEnv('aws', account), DRIFTMGR_AGENT_TOKEN: token },
      stdio: 'ignore',
    }),
  );

  const first = await readAfter(source_id, '');
  expect(first.last_read).toMatchObject({ status: 'succeeded', counts: { stored: 2, unchanged: 0, refused: 0 } });
  const stored = await states();
  expect(stored.get(DEFAULT_NAME)).toMatchObject({ workspace: 'default', lineage: JSON.parse(sample).lineage });
  expect(stored.get(STAGING_NAME)).toMatchObject({ workspace: 'staging', serial: 1, lineage: staging.lineage });
  expect(stored.get(DEFAULT_NAME)!.instances).toBeGreaterThan(0);

  await call('POST', `/api/v1/state-sources/${source_id}/read`);
  const second = await readAfter(source_id, first.last_read!.at);
  expect(second.last_read!.counts).toEqual({ stored: 0, unchanged: 2, queued: 0, refused: 0, invalid: 0 });
  expect(await states()).toEqual(stored);

  emulator.stateObjects.putS3(bucket, account, STAGING_KEY, JSON.stringify({ ...staging, serial: 2 }));
  await call('POST', `/api/v1/state-sources/${source_id}/read`);
  const third = await readAfter(source_id, second.last_read!.at);
  expect(third.last_read!.counts).toEqual({ stored: 1, unchanged: 1, queued: 0, refused: 0, invalid: 0 });
  const after = await states();
  expect(after.get(DEFAULT_NAME)).toEqual(stored.get(DEFAULT_NAME));
  expect(after.get(STAGING_NAME)).toMatchObject({ serial: 2, workspace: 'staging' });
  expect(after.get(STAGING_NAME)!.state_id).not.toBe(stored.get(STAGING_NAME)!.state_id);
}, 180_000);
