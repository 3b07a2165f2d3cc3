import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { hashSensitive, sensitiveKeyFrom } from '../engine/index.js';
import { runAnalyze } from './offline-analyze.js';

const resource: DiscoveredResource = {
  provider: 'aws',
  account: '111122223333',
  region: 'us-east-1',
  type: 'AWS::EC2::VPC',
  id: 'vpc-1',
  attributes: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', InstanceTenancy: 'default', IsDefault: false, Tags: [] },
  tags: {},
};
const tfState = (cidr: string) =>
  JSON.stringify({
    version: 4,
    resources: [
      {
        mode: 'managed',
        type: 'aws_vpc',
        name: 'main',
        provider: 'p',
        instances: [
          {
            attributes: {
              id: 'vpc-1',
              arn: 'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1',
              cidr_block: cidr,
              instance_tenancy: 'default',
              tags: {},
            },
          },
        ],
      },
    ],
  });

const keyPair: DiscoveredResource = {
  provider: 'aws',
  account: '111122223333',
  region: 'us-east-1',
  type: 'AWS::EC2::KeyPair',
  id: 'key-1',
  name: 'deploy',
  attributes: { KeyPairId: 'key-1', KeyName: 'deploy', PublicKey: 'ssh-ed25519 AAAA new' },
  tags: {},
};
const keyPairState = JSON.stringify({
  version: 4,
  resources: [
    {
      mode: 'managed',
      type: 'aws_key_pair',
      name: 'deploy',
      provider: 'p',
      instances: [
        {
          attributes: { id: 'deploy', key_pair_id: 'key-1', key_name: 'deploy', public_key: 'ssh-ed25519 AAAA old' },
          sensitive_attributes: [[{ type: 'get_attr', value: 'public_key' }]],
        },
      ],
    },
  ],
});

describe('runAnalyze (driftmgr analyze)', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftmgr-analyze-'));
    await writeFile(path('in-sync.tfstate'), tfState('10.0.0.0/16'));
    await writeFile(path('drifted.tfstate'), tfState('10.1.0.0/16'));
    await writeFile(path('inventory.json'), JSON.stringify({ resources: [resource] }));
    await writeFile(path('array.json'), JSON.stringify([resource]));
    await writeFile(path('broken.tfstate'), '{"version": 4, "resources": [');
    await writeFile(path('.driftignore'), 'aws_vpc.vpc-1\n');
    await writeFile(path('key.tfstate'), keyPairState);
    await writeFile(path('keys.json'), JSON.stringify([keyPair]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 when in sync', async () => {
    const r = await runAnalyze({
      statePaths: [path('in-sync.tfstate')],
      inventoryPath: path('array.json'),
      format: 'json',
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.output).summary.in_sync).toBe(1);
  });

  it('exits 1 on drift and renders the chosen format', async () => {
    const r = await runAnalyze({
      statePaths: [path('drifted.tfstate')],
      inventoryPath: path('inventory.json'),
      format: 'markdown',
    });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('`cidr_block` | `10.1.0.0/16` | `10.0.0.0/16`');
  });

  it('applies a .driftignore file', async () => {
    const r = await runAnalyze({
      statePaths: [path('drifted.tfstate')],
      inventoryPath: path('inventory.json'),
      ignorePath: path('.driftignore'),
    });
    expect(r.exitCode).toBe(0);
  });

  it('hashes sensitive values with DRIFTMGR_HASH_KEY when given, and with a fresh random key each run otherwise', async () => {
    const expectedHash = async (hashSecret?: string) => {
      const r = await runAnalyze({
        statePaths: [path('key.tfstate')],
        inventoryPath: path('keys.json'),
        format: 'json',
        hashSecret,
      });
      expect(r.exitCode).toBe(1);
      expect(r.output).not.toContain('AAAA');
      return JSON.parse(r.output).items[0].changes[0].expected;
    };
    expect(await expectedHash('cli secret')).toEqual(
      hashSensitive('ssh-ed25519 AAAA old', sensitiveKeyFrom('cli secret')),
    );
    expect(await expectedHash()).not.toEqual(await expectedHash());
  });

  it('exits 2 with a clear message on bad input', async () => {
    const broken = await runAnalyze({ statePaths: [path('broken.tfstate')], inventoryPath: path('inventory.json') });
    expect(broken).toEqual({
      exitCode: 2,
      output: expect.stringMatching(/invalid Terraform state: .*broken\.tfstate: not valid JSON/),
    });
    const noInventory = await runAnalyze({
      statePaths: [path('in-sync.tfstate')],
      inventoryPath: path('missing.json'),
    });
    expect(noInventory.exitCode).toBe(2);
    expect(noInventory.output).toContain('ENOENT');
    const notInventory = await runAnalyze({
      statePaths: [path('in-sync.tfstate')],
      inventoryPath: path('in-sync.tfstate'),
    });
    expect(notInventory.exitCode).toBe(2);
    expect(notInventory.output).toContain('not an inventory');
  });
});
