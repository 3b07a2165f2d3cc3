import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { StateSourceType } from '../../contract/state-locations.js';
import type {
  KnownState,
  StateReadComplete,
  StateReadFail,
  StateReadLease,
  StateUploadResult,
} from '../../contract/state-sources.js';
import { type RunningEmulator, startEmulator } from '../../emulator/server.js';
import { EMULATOR_TFC_TOKEN } from '../../emulator/state-backends/tfc.js';
import type { StateReadGateway } from '../gateway-client.js';
import { silentLogger } from '../log.js';
import { stateBackendFor } from './index.js';
import { runStateRead } from './read-source.js';

// Each backend's reader with its real SDK (S3, Cloud Storage, Blob Storage) or the API over fetch
// (Terraform Cloud, http) against the emulator's wire protocols; pages of 2 make every listing page.

const state = (lineage: string, serial: number) =>
  JSON.stringify({ version: 4, terraform_version: '1.9.0', serial, lineage, outputs: {}, resources: [] });

/** The gateway as a read sees it: records uploads and how the read ended. */
class RecordingGateway implements StateReadGateway {
  readonly uploads: { name: string; text: string }[] = [];
  completed?: StateReadComplete;
  failed?: z.input<typeof StateReadFail>;
  async leaseStateRead() {
    return null;
  }
  async heartbeatStateRead() {
    return { lease_expires_at: new Date().toISOString() };
  }
  async uploadState(_id: string, _lease: string, name: string, bytes: Uint8Array) {
    this.uploads.push({ name, text: Buffer.from(bytes).toString('utf8') });
    return { outcome: 'stored' } as StateUploadResult;
  }
  async completeStateRead(sourceId: string, req: StateReadComplete) {
    this.completed = req;
    return { source_id: sourceId, status: 'succeeded' as const, next_read_at: null };
  }
  async failStateRead(sourceId: string, req: z.input<typeof StateReadFail>) {
    this.failed = req;
    return { source_id: sourceId, status: 'failed' as const, next_read_at: null };
  }
}

function lease(type: StateSourceType, location: string, known: KnownState[] = []): StateReadLease {
  return {
    source_id: 'src_test',
    lease_id: 'lease-1',
    attempt: 1,
    lease_expires_at: new Date(Date.now() + 60_000).toISOString(),
    lease_ttl_seconds: 60,
    type,
    location,
    known,
  };
}

let emulator: RunningEmulator;
let awsAccount: string;

async function read(type: StateSourceType, location: string, known: KnownState[] = []) {
  const gateway = new RecordingGateway();
  const outcome = await runStateRead(
    lease(type, location, known),
    { gateway, backendFor: stateBackendFor, backendOptions: { env: process.env, pageSize: 2 }, log: silentLogger },
    new AbortController().signal,
  );
  return { outcome, gateway, names: gateway.uploads.map((u) => u.name).sort() };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 3, resources: 30 });
  awsAccount = emulator.accounts.aws[0]!;
  const o = emulator.stateObjects;
  // S3: states under prod/ in the default workspace and two others, beside what is not theirs.
  for (const key of ['prod/app.tfstate', 'prod/net/terraform.tfstate', 'prod/notes.txt', 'prod/app.tfstate.backup'])
    o.putS3('team-states', awsAccount, key, state('s3-default', 3));
  for (const key of [
    'env:/staging/prod/app.tfstate',
    'env:/dev/prod/net/terraform.tfstate',
    'env:/dev/other/x.tfstate',
  ])
    o.putS3('team-states', awsAccount, key, state('s3-workspace', 1));
  o.putS3('team-states', awsAccount, 'production/app.tfstate', state('elsewhere', 1));
  o.putS3('not-ours', '999999999999', 'prod/app.tfstate', state('theirs', 1));
  for (const name of [
    'net/default.tfstate',
    'net/prod.tfstate',
    'net/staging.tfstate',
    'net/readme.md',
    'app/default.tfstate',
  ])
    o.putGcs('gcs-states', name, state('gcs', 2));
  for (const name of ['app.tfstate', 'app.tfstateenv:staging', 'app.tfstateenv:prod', 'db.tfstate', 'notes.txt'])
    o.putBlob('tfstateacct', 'tfstate', name, state('blob', 5));
  o.putTfcState('acme', 'network', state('tfc', 12));
  o.putTfcState('acme', 'never-ran', null);
  o.putHttp('team/app', state('http', 4));
  Object.assign(process.env, emulator.agentEnv('aws', awsAccount), emulator.agentEnv('gcp', emulator.accounts.gcp[0]));
});

afterAll(async () => {
  await emulator?.close();
});

describe('S3', () => {
  it('reads every state under the prefix and its workspaces, a page at a time', async () => {
    const { outcome, names, gateway } = await read('s3', 's3://team-states/prod');
    expect(outcome).toBe('completed');
    expect(names).toEqual([
      's3://team-states/env:/dev/prod/net/terraform.tfstate',
      's3://team-states/env:/staging/prod/app.tfstate',
      's3://team-states/prod/app.tfstate',
      's3://team-states/prod/net/terraform.tfstate',
    ]);
    expect(gateway.completed?.states.every((s) => s.outcome === 'stored')).toBe(true);
  });

  it('reads a bucket whole from its root, and one state key with its workspaces', async () => {
    expect((await read('s3', 's3://team-states')).names).toHaveLength(6);
    expect((await read('s3', 's3://team-states/prod/app.tfstate')).names).toEqual([
      's3://team-states/env:/staging/prod/app.tfstate',
      's3://team-states/prod/app.tfstate',
    ]);
  });

  it("fails the read for good on another account's bucket", async () => {
    const { outcome, gateway } = await read('s3', 's3://not-ours/prod');
    expect(outcome).toBe('failed');
    expect(gateway.failed).toMatchObject({ retryable: false });
    expect(gateway.failed?.reason).toContain('Access Denied');
  });
});

describe('Cloud Storage', () => {
  it('reads <prefix>/<workspace>.tfstate objects through the JSON API', async () => {
    const { outcome, names } = await read('gcs', 'gs://gcs-states/net');
    expect(outcome).toBe('completed');
    expect(names).toEqual([
      'gs://gcs-states/net/default.tfstate',
      'gs://gcs-states/net/prod.tfstate',
      'gs://gcs-states/net/staging.tfstate',
    ]);
  });
});

describe('Blob Storage', () => {
  it('reads <key> and <key>env:<workspace> blobs with the connection string of the account', async () => {
    process.env.AZURE_STORAGE_CONNECTION_STRING = emulator.agentEnv('azure').AZURE_STORAGE_CONNECTION_STRING;
    const { outcome, names, gateway } = await read('azurerm', 'azurerm://tfstateacct/tfstate/app.tfstate');
    expect(outcome).toBe('completed');
    expect(names).toEqual([
      'azurerm://tfstateacct/tfstate/app.tfstate',
      'azurerm://tfstateacct/tfstate/app.tfstateenv:prod',
      'azurerm://tfstateacct/tfstate/app.tfstateenv:staging',
    ]);
    expect(gateway.uploads[0]!.text).toBe(state('blob', 5));
    expect((await read('azurerm', 'azurerm://tfstateacct/tfstate')).names).toHaveLength(4);
  });
});

describe('Terraform Cloud', () => {
  it("downloads a workspace's current state version with the host's token", async () => {
    const { outcome, gateway } = await read('remote', `${emulator.stateEndpoint}/app/acme/workspaces/network`);
    expect(outcome).toBe('completed');
    expect(gateway.uploads).toEqual([
      { name: `${emulator.stateEndpoint}/app/acme/workspaces/network`, text: state('tfc', 12) },
    ]);
    const never = await read('remote', `${emulator.stateEndpoint}/app/acme/workspaces/never-ran`);
    expect(never.gateway.completed?.states).toEqual([]);
  });

  it('fails for good with a token the API refuses', async () => {
    const variable = Object.keys(emulator.agentEnv('aws')).find((k) => k.startsWith('TF_TOKEN_'))!;
    process.env[variable] = 'wrong';
    try {
      const { outcome, gateway } = await read('remote', `${emulator.stateEndpoint}/app/acme/workspaces/network`);
      expect(outcome).toBe('failed');
      expect(gateway.failed).toMatchObject({ retryable: false });
    } finally {
      process.env[variable] = EMULATOR_TFC_TOKEN;
    }
  });
});

describe('http backend', () => {
  it('GETs the address with basic auth; an address without state has none', async () => {
    const { gateway } = await read('http', `${emulator.stateEndpoint}/http-backend/team/app`);
    expect(gateway.uploads.map((u) => u.text)).toEqual([state('http', 4)]);
    expect((await read('http', `${emulator.stateEndpoint}/http-backend/team/none`)).gateway.completed?.states).toEqual(
      [],
    );
  });
});

describe('a read', () => {
  it('sends nothing for a state held with the same lineage and serial, and reports files that are no state', async () => {
    const o = emulator.stateObjects;
    o.putGcs('skip-states', 'x/default.tfstate', state('same', 7));
    o.putGcs('skip-states', 'x/prod.tfstate', state('same', 8));
    o.putGcs('skip-states', 'x/broken.tfstate', '{"not": "a state"}');
    const known = [
      { workspace: 'default', name: 'gs://skip-states/x/default.tfstate', lineage: 'same', serial: 7 },
      { workspace: 'prod', name: 'gs://skip-states/x/prod.tfstate', lineage: 'same', serial: 7 },
    ];
    const { names, gateway } = await read('gcs', 'gs://skip-states/x', known);
    expect(names).toEqual(['gs://skip-states/x/prod.tfstate']);
    expect(gateway.completed?.states).toEqual([
      { name: 'gs://skip-states/x/broken.tfstate', outcome: 'invalid', message: expect.stringContaining('version') },
      { name: 'gs://skip-states/x/default.tfstate', outcome: 'unchanged' },
      { name: 'gs://skip-states/x/prod.tfstate', outcome: 'stored' },
    ]);
  });
});
