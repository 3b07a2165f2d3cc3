import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { parseTerraformState } from './parse.js';
import { SECRET_ATTRIBUTES } from './secret-attributes.js';
import {
  hashSensitive,
  processSensitiveKey,
  redactKnownSecrets,
  redactSensitive,
  sensitiveKeyFrom,
} from './sensitive.js';

const KEY = sensitiveKeyFrom('deployment secret');
const OTHER_KEY = sensitiveKeyFrom('another deployment');

const v4 = (resources: unknown[]) => JSON.stringify({ version: 4, serial: 1, lineage: 'l', resources });
const instance = (type: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  mode: 'managed',
  type,
  name: 'x',
  provider: 'p',
  instances: [{ attributes, ...extra }],
});

/** Clear values that must never survive parsing, with the resource that holds each. */
const UNLISTED_SECRETS = v4([
  instance('random_password', { id: 'none', result: 'Tr0ub4dor&3', length: 11 }),
  instance('aws_db_instance', { id: 'db-1', password: 'hunter2', engine: 'postgres' }),
  instance('tls_private_key', { id: 'k', private_key_pem: '-----BEGIN PRIVATE KEY-----abc', public_key_pem: 'PUBLIC' }),
  instance('azurerm_kubernetes_cluster', {
    id: 'aks',
    kube_config: [{ host: 'h', client_key: 'ck-secret', password: 'kube-pw' }],
  }),
  instance('aws_iam_access_key', { id: 'AKIA1', secret: 'wJalrXUtnFEMI', user: 'ci' }),
  instance('azurerm_storage_account', {
    id: 'sa',
    primary_connection_string: 'DefaultEndpointsProtocol=https;AccountKey=sa-key',
  }),
]);

describe('hashSensitive', () => {
  it('is HMAC-SHA-256 of the value as sorted JSON, under the key', () => {
    const expected = createHmac('sha256', KEY).update('{"a":1,"b":"é"}').digest('hex');
    expect(hashSensitive({ b: 'é', a: 1 }, KEY).$sensitive).toBe(`hmac-sha256:${expected}`);
  });

  it('gives equal hashes under one key and different hashes under different keys', () => {
    expect(hashSensitive('hunter2', KEY)).toEqual(hashSensitive('hunter2', sensitiveKeyFrom('deployment secret')));
    expect(hashSensitive('hunter2', KEY)).not.toEqual(hashSensitive('hunter2', OTHER_KEY));
    expect(hashSensitive('hunter2', KEY)).not.toEqual(hashSensitive('hunter3', KEY));
  });

  it('keeps one random key per process for callers that pass none', () => {
    expect(processSensitiveKey()).toHaveLength(32);
    expect(processSensitiveKey()).toBe(processSensitiveKey());
    expect(processSensitiveKey()).not.toEqual(KEY);
  });
});

describe('known secret attributes', () => {
  const state = parseTerraformState(UNLISTED_SECRETS, 'secrets.tfstate', { sensitiveKey: KEY });
  /** One resource's attributes after redaction alone, before pruning leaves out what analysis does not read. */
  const redacted = (type: string, attributes: Record<string, unknown>) => {
    redactKnownSecrets(type, attributes, KEY);
    return attributes;
  };

  it('never survive parsing in clear', () => {
    const text = JSON.stringify(state);
    for (const clear of [
      'Tr0ub4dor&3',
      'hunter2',
      'BEGIN PRIVATE KEY',
      'ck-secret',
      'kube-pw',
      'wJalrXUtnFEMI',
      'sa-key',
    ])
      expect(text).not.toContain(clear);
    expect(state.instances).toHaveLength(6);
  });

  it('are hashed although sensitive_attributes does not list them', () => {
    expect(redacted('random_password', { result: 'Tr0ub4dor&3' }).result).toEqual(hashSensitive('Tr0ub4dor&3', KEY));
    expect(redacted('aws_db_instance', { password: 'hunter2' }).password).toEqual(hashSensitive('hunter2', KEY));
    expect(
      redacted('azurerm_kubernetes_cluster', { kube_config: [{ host: 'h', client_key: 'ck', password: 'pw' }] })
        .kube_config,
    ).toEqual([{ host: 'h', client_key: hashSensitive('ck', KEY), password: hashSensitive('pw', KEY) }]);
  });

  it('leave the other attributes of those resources in clear, and null values null', () => {
    expect(redacted('random_password', { result: 'r', length: 11 }).length).toBe(11);
    expect(redacted('aws_db_instance', { password: 'p', engine: 'postgres' }).engine).toBe('postgres');
    expect(redacted('tls_private_key', { private_key_pem: 'k', public_key_pem: 'PUBLIC' }).public_key_pem).toBe(
      'PUBLIC',
    );
    expect(redacted('aws_db_instance', { password: 'pw', master_password: null })).toEqual({
      password: hashSensitive('pw', KEY),
      master_password: null,
    });
  });

  it('are hashed once when sensitive_attributes lists them too', () => {
    const attributes: Record<string, unknown> = { password: 'pw' };
    redactSensitive(attributes, [[{ type: 'get_attr', value: 'password' }]], KEY);
    expect(redacted('aws_db_instance', attributes).password).toEqual(hashSensitive('pw', KEY));
  });

  it('are data: every entry names a type (or *) and a dotted path', () => {
    for (const { type, path } of SECRET_ATTRIBUTES) {
      expect(type).toMatch(/^(\*|[a-z0-9_]+)$/);
      expect(path).toMatch(/^[a-z0-9_]+(\.(\*|[a-z0-9_]+))*$/);
    }
  });
});

describe('sensitive values analysis reads', () => {
  const listed = { sensitive_attributes: [[{ type: 'get_attr', value: 'public_key' }]] };
  const keyPair = (publicKey: string) => ({ id: 'k', key_pair_id: 'key-1', public_key: publicKey });

  it('are hashed in v4, v3 and legacy flatmap states', () => {
    const v4State = parseTerraformState(v4([instance('aws_key_pair', keyPair('ssh v4'), listed)]), 'v4', {
      sensitiveKey: KEY,
    });
    const v3State = parseTerraformState(
      JSON.stringify({
        version: 3,
        modules: [
          {
            path: ['root'],
            resources: {
              'aws_key_pair.k': {
                type: 'aws_key_pair',
                sensitive_attributes: ['public_key'],
                primary: { id: 'k', attributes: keyPair('ssh v3') },
              },
            },
          },
        ],
      }),
      'v3',
      { sensitiveKey: KEY },
    );
    const flat = parseTerraformState(
      v4([{ ...instance('aws_key_pair', {}), instances: [{ attributes_flat: keyPair('ssh flat'), ...listed }] }]),
      'flat',
      { sensitiveKey: KEY },
    );
    expect(v4State.instances[0]!.attributes.public_key).toEqual(hashSensitive('ssh v4', KEY));
    expect(v3State.instances[0]!.attributes.public_key).toEqual(hashSensitive('ssh v3', KEY));
    expect(flat.instances[0]!.attributes.public_key).toEqual(hashSensitive('ssh flat', KEY));
  });

  it('leave the caller’s own object untouched', () => {
    const doc = JSON.parse(v4([instance('aws_key_pair', keyPair('ssh mine'), listed)]));
    const parsed = parseTerraformState(doc, 'obj.tfstate', { sensitiveKey: KEY });
    expect(parsed.instances[0]!.attributes.public_key).toEqual(hashSensitive('ssh mine', KEY));
    expect(doc.resources[0].instances[0].attributes.public_key).toBe('ssh mine');
  });
});

describe('drift on hashed values', () => {
  const keyPairState = (publicKey: string) =>
    v4([
      {
        ...instance(
          'aws_key_pair',
          { id: 'k', key_pair_id: 'key-1', key_name: 'k', public_key: publicKey },
          { sensitive_attributes: [[{ type: 'get_attr', value: 'public_key' }]] },
        ),
        name: 'k',
      },
    ]);
  const inventory = [
    {
      provider: 'aws' as const,
      account: '111122223333',
      region: 'us-east-1',
      type: 'AWS::EC2::KeyPair',
      id: 'key-1',
      name: 'k',
      attributes: { KeyPairId: 'key-1', KeyName: 'k', PublicKey: 'ssh-ed25519 AAAA old' },
      tags: {},
    },
  ];

  it('is still found when state and analysis share the key, and never shows the clear value', () => {
    const same = analyze({
      states: [parseTerraformState(keyPairState('ssh-ed25519 AAAA old'), 's', { sensitiveKey: KEY })],
      inventory,
      sensitiveKey: KEY,
    });
    expect(same.summary.changed).toBe(0);
    const changed = analyze({
      states: [parseTerraformState(keyPairState('ssh-ed25519 AAAA new'), 's', { sensitiveKey: KEY })],
      inventory,
      sensitiveKey: KEY,
    });
    expect(changed.summary.changed).toBe(1);
    expect(JSON.stringify(changed)).not.toContain('AAAA');
  });
});
