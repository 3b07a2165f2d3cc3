import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { parseTerraformState } from './parse.js';
import { SECRET_ATTRIBUTES } from './secret-attributes.js';
import { hashSensitive, processSensitiveKey, sensitiveKeyFrom } from './sensitive.js';

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
  const attributesOf = (type: string) => state.instances.find((i) => i.tfType === type)!.attributes;

  it('are hashed although sensitive_attributes does not list them', () => {
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
    expect(attributesOf('random_password').result).toEqual(hashSensitive('Tr0ub4dor&3', KEY));
    expect(attributesOf('aws_db_instance').password).toEqual(hashSensitive('hunter2', KEY));
    expect(attributesOf('azurerm_kubernetes_cluster').kube_config).toEqual([
      { host: 'h', client_key: hashSensitive('ck-secret', KEY), password: hashSensitive('kube-pw', KEY) },
    ]);
  });

  it('leave the other attributes of those resources in clear', () => {
    expect(attributesOf('random_password').length).toBe(11);
    expect(attributesOf('aws_db_instance').engine).toBe('postgres');
    expect(attributesOf('tls_private_key').public_key_pem).toBe('PUBLIC');
    expect(attributesOf('aws_iam_access_key').user).toBe('ci');
  });

  it('are hashed once when sensitive_attributes lists them too', () => {
    const listed = parseTerraformState(
      v4([
        instance(
          'aws_db_instance',
          { id: 'db', password: 'pw' },
          { sensitive_attributes: [[{ type: 'get_attr', value: 'password' }]] },
        ),
      ]),
      'listed.tfstate',
      { sensitiveKey: KEY },
    );
    expect(listed.instances[0]!.attributes.password).toEqual(hashSensitive('pw', KEY));
  });

  it('are hashed in v3 states and legacy flatmap attributes', () => {
    const v3 = parseTerraformState(
      JSON.stringify({
        version: 3,
        modules: [
          {
            path: ['root'],
            resources: {
              'random_password.p': {
                type: 'random_password',
                primary: { id: 'none', attributes: { id: 'none', result: 'v3-secret' } },
              },
            },
          },
        ],
      }),
      'v3.tfstate',
      { sensitiveKey: KEY },
    );
    expect(v3.instances[0]!.attributes.result).toEqual(hashSensitive('v3-secret', KEY));
    const flat = parseTerraformState(
      v4([{ ...instance('aws_db_instance', {}), instances: [{ attributes_flat: { id: 'db', password: 'flat-pw' } }] }]),
      'flat.tfstate',
      { sensitiveKey: KEY },
    );
    expect(flat.instances[0]!.attributes.password).toEqual(hashSensitive('flat-pw', KEY));
  });

  it('leave null values null and the caller’s own object untouched', () => {
    const doc = JSON.parse(v4([instance('aws_db_instance', { id: 'db', password: 'pw', master_password: null })]));
    const parsed = parseTerraformState(doc, 'obj.tfstate', { sensitiveKey: KEY });
    expect(parsed.instances[0]!.attributes).toEqual({
      id: 'db',
      password: hashSensitive('pw', KEY),
      master_password: null,
    });
    expect(doc.resources[0].instances[0].attributes.password).toBe('pw');
  });

  it('are data: every entry names a type (or *) and a dotted path', () => {
    for (const { type, path } of SECRET_ATTRIBUTES) {
      expect(type).toMatch(/^(\*|[a-z0-9_]+)$/);
      expect(path).toMatch(/^[a-z0-9_]+(\.(\*|[a-z0-9_]+))*$/);
    }
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
