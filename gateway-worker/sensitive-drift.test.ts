import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { api, lease, startJob, waitForJob } from '../test/support/worker/api.js';

const ACCOUNT = '818181818181';
const REGION = 'eu-west-1';

function keyPair(id: string, name: string, publicKey: string): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region: REGION,
    type: 'AWS::EC2::KeyPair',
    id,
    attributes: {
      KeyPairId: id,
      KeyName: name,
      KeyType: 'rsa',
      KeyFingerprint: 'aa:bb',
      PublicKey: publicKey,
      Tags: [],
    },
    tags: {},
  };
}

/** A key pair whose public key the configuration marked sensitive: the state keeps only its hash. */
function stateKeyPair(id: string, name: string, publicKey: string) {
  return {
    mode: 'managed',
    type: 'aws_key_pair',
    name,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [
      {
        schema_version: 1,
        attributes: {
          id: name,
          key_pair_id: id,
          key_name: name,
          key_type: 'rsa',
          arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:key-pair/${name}`,
          public_key: publicKey,
          tags: {},
          tags_all: {},
        },
        sensitive_attributes: [[{ type: 'get_attr', value: 'public_key' }]],
      },
    ],
  };
}

describe('drift on values the state keeps only as a keyed hash', () => {
  it('compares cloud values under the key the import hashed with: equal is in sync, different is changed', async () => {
    const state = {
      version: 4,
      serial: 1,
      lineage: 'ee000000-0000-4000-8000-0000000000ee',
      resources: [
        stateKeyPair('key-1', 'same', 'ssh-rsa AAAA-same'),
        stateKeyPair('key-2', 'rotated', 'ssh-rsa AAAA-old'),
      ],
    };
    expect((await api('POST', '/api/v1/import?workspace=sensitive&name=keys', state)).status).toBe(201);
    const job = await startJob({ accounts: [ACCOUNT], regions: [REGION], resource_types: ['AWS::EC2::KeyPair'] });
    const held = await lease(ACCOUNT);
    const found = [keyPair('key-1', 'same', 'ssh-rsa AAAA-same'), keyPair('key-2', 'rotated', 'ssh-rsa AAAA-new')];
    await api('POST', `/api/v1/shards/${held.body.shard_id}/results`, {
      lease_id: held.body.lease_id,
      sequence: 0,
      resources: found,
    });
    await api('POST', `/api/v1/shards/${held.body.shard_id}/complete`, {
      lease_id: held.body.lease_id,
      resource_count: 2,
    });
    expect((await waitForJob(job.job_id, ['completed', 'failed'])).status).toBe('completed');
    const drift = await api('GET', `/api/v1/drift?job_id=${job.job_id}`);
    expect(drift.body.items.map((i: any) => [i.kind, i.address, i.changes.map((c: any) => c.path)])).toEqual([
      ['changed', 'aws_key_pair.rotated', ['public_key']],
    ]);
    expect(JSON.stringify(drift.body)).not.toContain('AAAA');
  });
});
