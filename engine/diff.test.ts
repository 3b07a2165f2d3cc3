import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../contract/resource-types.js';
import { diffResource } from './diff.js';
import { canonicalCidr } from './mappings/cidr.js';
import { MAPPINGS, mappingForTfType } from './mappings/index.js';
import { NOISE_RULES } from './noise/catalog.js';
import { normalise } from './noise/normalisers.js';
import { hashSensitive, sensitiveKeyFrom } from './state/sensitive.js';

const instance = mappingForTfType('aws_instance')!;

const cloud = {
  InstanceId: 'i-1',
  InstanceType: 't3.small',
  ImageId: 'ami-1',
  SubnetId: 'subnet-1',
  SecurityGroups: [{ GroupId: 'sg-2' }, { GroupId: 'sg-1' }],
  Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
  EbsOptimized: false,
  Monitoring: { State: 'disabled' },
  SourceDestCheck: true,
  State: { Name: 'running' },
  IamInstanceProfile: { Arn: 'arn:aws:iam::111122223333:instance-profile/web' },
  MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
  Tags: [
    { Key: 'Name', Value: 'web' },
    { Key: 'aws:cloudformation:stack-name', Value: 'x' },
  ],
};
const tf = {
  id: 'i-1',
  instance_type: 't3.small',
  ami: 'ami-1',
  subnet_id: 'subnet-1',
  vpc_security_group_ids: ['sg-1', 'sg-2'],
  availability_zone: 'us-east-1a',
  ebs_optimized: null,
  monitoring: false,
  source_dest_check: true,
  instance_state: 'stopped',
  iam_instance_profile: 'web',
  metadata_options: [{ http_tokens: 'required', http_endpoint: 'enabled' }],
  tags: { Name: 'web' },
  tags_all: { Name: 'web' },
};

describe('diffResource', () => {
  it('labels every raw difference that is noise with its rule', () => {
    const changes = diffResource(instance, tf, cloud);
    const byPath = Object.fromEntries(changes.map((c) => [c.path, c.noise_rule]));
    expect(byPath).toEqual({
      vpc_security_group_ids: 'order-insensitive',
      ebs_optimized: 'cloud-default',
      instance_state: 'volatile',
      iam_instance_profile: 'arn-to-name',
      tags: 'aws-provider-tags',
      tenancy: 'cloud-default',
    });
  });

  it('reports a real change with canonical expected and actual values', () => {
    const changes = diffResource(
      instance,
      { ...tf, instance_type: 't3.large', vpc_security_group_ids: ['sg-1'] },
      cloud,
    ).filter((c) => !c.noise_rule);
    expect(changes).toEqual([
      { path: 'instance_type', expected: 't3.large', actual: 't3.small' },
      { path: 'vpc_security_group_ids', expected: ['sg-1'], actual: ['sg-1', 'sg-2'] },
    ]);
  });

  it('treats a public IP appearing as drift but a changed ephemeral IP as noise', () => {
    const appeared = diffResource(instance, { ...tf, public_ip: '' }, { ...cloud, PublicIpAddress: '3.3.3.3' }).find(
      (c) => c.path === 'public_ip',
    );
    const changed = diffResource(
      instance,
      { ...tf, public_ip: '1.1.1.1' },
      { ...cloud, PublicIpAddress: '3.3.3.3' },
    ).find((c) => c.path === 'public_ip');
    expect(appeared?.noise_rule).toBeUndefined();
    expect(changed?.noise_rule).toBe('volatile-when-present');
  });

  it('compares sensitive values by keyed hash and reports only hashes', () => {
    const keyPair = mappingForTfType('aws_key_pair')!;
    const hashKey = sensitiveKeyFrom('deployment secret');
    const state = { key_pair_id: 'key-1', key_name: 'k', public_key: hashSensitive('ssh-ed25519 AAAA old', hashKey) };
    const cloudOld = { KeyPairId: 'key-1', KeyName: 'k', PublicKey: 'ssh-ed25519 AAAA old' };
    expect(diffResource(keyPair, state, cloudOld, hashKey).filter((c) => !c.noise_rule)).toEqual([]);
    const changed = diffResource(keyPair, state, { ...cloudOld, PublicKey: 'ssh-ed25519 AAAA new' }, hashKey);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.actual).toEqual(hashSensitive('ssh-ed25519 AAAA new', hashKey));
    expect(JSON.stringify(changed)).not.toContain('AAAA');
    // Under another key the stored hash matches nothing: the key must be the state's.
    expect(
      diffResource(keyPair, state, cloudOld, sensitiveKeyFrom('another secret')).filter((c) => !c.noise_rule),
    ).toHaveLength(1);
  });

  it('compares security group rules as a set of permissions', () => {
    const sg = mappingForTfType('aws_security_group')!;
    const cloudSg = {
      GroupId: 'sg-1',
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-1' }] },
      ],
    };
    const rule = (cidrs: string[], port = 22, self = false) => ({
      protocol: '6',
      from_port: port,
      to_port: port,
      cidr_blocks: cidrs,
      self,
    });
    const same = diffResource(sg, { ingress: [rule([], 5432, true), rule(['0.0.0.0/0', '10.0.0.0/8'])] }, cloudSg).find(
      (c) => c.path === 'ingress',
    );
    expect(same?.noise_rule).toBe('order-insensitive');
    const opened = diffResource(sg, { ingress: [rule(['10.0.0.0/8']), rule([], 5432, true)] }, cloudSg).find(
      (c) => c.path === 'ingress',
    );
    expect(opened?.noise_rule).toBeUndefined();
    expect(opened?.actual).toContain('proto=tcp ports=22-22 source=0.0.0.0/0');
  });
});

describe('normalisers', () => {
  it('canonicalises CIDRs and addresses', () => {
    expect(canonicalCidr('10.0.0.1')).toBe('10.0.0.1/32');
    expect(canonicalCidr('2600:1F18:0:0:0:0:0:0/56')).toBe('2600:1f18::/56');
    expect(canonicalCidr('fe80::1')).toBe('fe80::1/128');
    expect(canonicalCidr('Internet')).toBe('Internet');
  });

  it('compares JSON policy documents as data', () => {
    const a =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:b","arn:a"]}}';
    const b = {
      Statement: [{ Resource: ['arn:a', 'arn:b'], Action: ['s3:GetObject'], Effect: 'Allow' }],
      Version: '2012-10-17',
    };
    expect(normalise('json-document', a)).toEqual(normalise('json-document', b));
    expect(normalise('json-document', a)).not.toEqual(normalise('json-document', { ...b, Version: '2008-10-17' }));
  });
});

describe('mapping tables', () => {
  it('cover every resource type the agents discover', () => {
    const mapped = new Set(MAPPINGS.map((m) => `${m.provider}|${m.cloudType}`));
    for (const t of RESOURCE_TYPES) expect(mapped, t.type).toContain(`${t.provider}|${t.type}`);
  });

  it('only cite noise rules that are in the catalog', () => {
    const catalog = new Set<string>(NOISE_RULES.map((r) => r.id));
    for (const m of MAPPINGS)
      for (const a of m.attributes)
        for (const step of a.steps ?? []) expect(catalog, `${m.tfType}.${a.tf}`).toContain(step);
  });
});
