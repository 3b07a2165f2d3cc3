import { describe, expect, it } from 'vitest';
import { StateParseError } from './errors.js';
import { parseTerraformState } from './parse.js';
import { unflatten } from './v3.js';

const v4 = (resources: unknown[]) =>
  JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'l', outputs: {}, resources });

describe('parseTerraformState (v4)', () => {
  const state = parseTerraformState(
    v4([
      {
        module: 'module.a.module.b',
        mode: 'managed',
        type: 'aws_instance',
        name: 'web',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        each: 'list',
        instances: [
          { index_key: 0, attributes: { id: 'i-1' } },
          { index_key: 1, status: 'tainted', attributes: { id: 'i-2' } },
        ],
      },
      {
        mode: 'managed',
        type: 'aws_instance',
        name: 'svc',
        provider: 'p',
        each: 'map',
        instances: [
          { index_key: 'blue', attributes: { id: 'i-3' } },
          { index_key: 'blue', deposed: 'abcd1234', attributes: { id: 'i-old' } },
        ],
      },
      { mode: 'data', type: 'aws_ami', name: 'ubuntu', provider: 'p', instances: [{ attributes: { id: 'ami-1' } }] },
      {
        mode: 'managed',
        type: 'aws_instance',
        name: 'db',
        provider: 'p',
        instances: [
          {
            attributes: { id: 'i-db', key_name: 'hunter2', metadata_options: [{ http_tokens: 'tok-secret' }] },
            sensitive_attributes: [
              [{ type: 'get_attr', value: 'key_name' }],
              [
                { type: 'get_attr', value: 'metadata_options' },
                { type: 'index', value: { value: 0, type: 'number' } },
                { type: 'get_attr', value: 'http_tokens' },
              ],
            ],
          },
        ],
      },
    ]),
    'prod.tfstate',
  );

  it('addresses instances with modules and count/for_each keys', () => {
    expect(state.instances.map((i) => i.address)).toEqual([
      'module.a.module.b.aws_instance.web[0]',
      'module.a.module.b.aws_instance.web[1]',
      'aws_instance.svc["blue"]',
      'aws_instance.svc["blue"]',
      'aws_instance.db',
    ]);
    expect(state.instances[0]!.module).toBe('module.a.module.b');
  });

  it('skips data sources and flags tainted and deposed objects', () => {
    expect(state.dataSourcesSkipped).toBe(1);
    expect(state.instances[1]!.tainted).toBe(true);
    expect(state.instances[3]!.deposed).toBe('abcd1234');
    expect(state.instances[2]!.deposed).toBeUndefined();
  });

  it('replaces sensitive values by their hash, never keeping them in clear', () => {
    const db = state.instances[4]!;
    expect(db.attributes.key_name).toEqual({ $sensitive: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) });
    expect(db.attributes.metadata_options).toEqual([
      { http_tokens: { $sensitive: expect.stringMatching(/^hmac-sha256:/) } },
    ]);
    expect(JSON.stringify(state)).not.toContain('hunter2');
    expect(JSON.stringify(state)).not.toContain('tok-secret');
  });

  it('does not modify an object passed in', () => {
    const doc = {
      version: 4,
      resources: [
        {
          mode: 'managed',
          type: 'aws_instance',
          name: 'n',
          instances: [
            {
              attributes: { id: 'x', key_name: 'p', user_data: 'not read' },
              sensitive_attributes: [[{ type: 'get_attr', value: 'key_name' }]],
            },
          ],
        },
      ],
    };
    const parsed = parseTerraformState(doc);
    expect(parsed.instances[0]!.attributes.key_name).toEqual({ $sensitive: expect.any(String) });
    expect(doc.resources[0]!.instances[0]!.attributes).toEqual({ id: 'x', key_name: 'p', user_data: 'not read' });
  });
});

describe('parseTerraformState (v3)', () => {
  it('reads modules[].resources with flatmap attributes', () => {
    const state = parseTerraformState(
      JSON.stringify({
        version: 3,
        modules: [
          {
            path: ['root'],
            resources: {
              'aws_instance.a': {
                type: 'aws_instance',
                primary: {
                  id: 'i-1',
                  attributes: {
                    id: 'i-1',
                    'tags.%': '1',
                    'tags.Name': '007',
                    'vpc_security_group_ids.#': '2',
                    'vpc_security_group_ids.0': 'sg-1',
                    'vpc_security_group_ids.1': 'sg-2',
                    ebs_optimized: 'false',
                    cpu_core_count: '3',
                  },
                },
              },
              'data.aws_ami.x': { primary: { id: 'a' } },
            },
          },
          {
            path: ['root', 'net'],
            resources: { 'aws_subnet.s.2': { type: 'aws_subnet', primary: { id: 'subnet-1', attributes: {} } } },
          },
        ],
      }),
    );
    expect(state.dataSourcesSkipped).toBe(1);
    expect(state.instances.map((i) => i.address)).toEqual(['aws_instance.a', 'module.net.aws_subnet.s[2]']);
    expect(state.instances[0]!.attributes).toEqual({
      id: 'i-1',
      tags: { Name: '007' },
      vpc_security_group_ids: ['sg-1', 'sg-2'],
      ebs_optimized: false,
      cpu_core_count: 3,
    });
    expect(state.instances[1]!.attributes.id).toBe('subnet-1');
  });

  it('unflattens nested blocks', () => {
    expect(unflatten({ 'a.#': '1', 'a.0.b': 'x', 'a.0.c.%': '1', 'a.0.c.k': 'v' })).toEqual({
      a: [{ b: 'x', c: { k: 'v' } }],
    });
  });
});

describe('parse errors', () => {
  const codeOf = (input: string) => {
    try {
      parseTerraformState(input, 'bad.tfstate');
      return 'parsed';
    } catch (err) {
      expect(err).toBeInstanceOf(StateParseError);
      expect((err as Error).message).toContain('bad.tfstate');
      return (err as StateParseError).code;
    }
  };

  it('says what is wrong', () => {
    expect(codeOf('{not json')).toBe('not_json');
    expect(codeOf('[1,2]')).toBe('not_terraform_state');
    expect(codeOf('{"resources": []}')).toBe('not_terraform_state');
    expect(codeOf('{"version": 2, "modules": []}')).toBe('unsupported_version');
    expect(codeOf('{"version": 4, "resources": {}}')).toBe('not_terraform_state');
    expect(codeOf('{"version": 4, "resources": [{"mode": "managed", "name": "x", "instances": []}]}')).toBe(
      'invalid_resource',
    );
  });
});
