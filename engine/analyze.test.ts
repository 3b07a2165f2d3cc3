import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { analyze } from './analyze.js';
import { parseTerraformState } from './state/parse.js';

const ACCOUNT = '111122223333';
const arn = (kind: string, id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:${kind}/${id}`;

function instance(id: string, type: string, extra: Record<string, unknown> = {}): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    type: 'AWS::EC2::Instance',
    id,
    name: id,
    attributes: {
      InstanceId: id,
      InstanceType: type,
      SubnetId: 'subnet-1',
      SecurityGroups: [{ GroupId: 'sg-1' }],
      State: { Name: 'running' },
      Tags: [{ Key: 'Name', Value: id }],
      ...extra,
    },
    tags: { Name: id },
  };
}

function sg(id: string, ingress: Record<string, unknown>[]): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    type: 'AWS::EC2::SecurityGroup',
    id,
    attributes: { GroupId: id, GroupName: id, VpcId: 'vpc-1', IpPermissions: ingress, IpPermissionsEgress: [] },
    tags: {},
  };
}

const tfInstance = (id: string, type: string, extra: Record<string, unknown> = {}) => ({
  id,
  arn: arn('instance', id),
  instance_type: type,
  subnet_id: 'subnet-1',
  vpc_security_group_ids: ['sg-1'],
  instance_state: 'running',
  tags: { Name: id },
  tags_all: { Name: id },
  ...extra,
});

function state(resources: { type: string; name: string; attributes: Record<string, unknown> }[]) {
  return parseTerraformState({
    version: 4,
    resources: resources.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ attributes: r.attributes }],
    })),
  });
}

const inventory = [
  instance('i-same', 't3.small'),
  instance('i-resized', 'm5.xlarge'),
  instance('i-stopped', 't3.small', { State: { Name: 'stopped' } }),
  instance('i-shadow', 'c5.large'),
  sg('sg-open', [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]),
];
const states = [
  state([
    { type: 'aws_instance', name: 'same', attributes: tfInstance('i-same', 't3.small') },
    { type: 'aws_instance', name: 'resized', attributes: tfInstance('i-resized', 't3.small') },
    { type: 'aws_instance', name: 'stopped', attributes: tfInstance('i-stopped', 't3.small') },
    { type: 'aws_instance', name: 'gone', attributes: tfInstance('i-gone', 't3.micro') },
    {
      type: 'aws_security_group',
      name: 'open',
      attributes: {
        id: 'sg-open',
        arn: arn('security-group', 'sg-open'),
        name: 'sg-open',
        vpc_id: 'vpc-1',
        ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['10.0.0.0/8'] }],
        egress: [],
      },
    },
  ]),
];

describe('analyze', () => {
  const report = analyze({ states, inventory });

  it('reports changed, missing and unmanaged resources with a coverage figure', () => {
    const s = report.summary;
    expect({
      managed: s.managed,
      in_sync: s.in_sync,
      changed: s.changed,
      missing: s.missing,
      unmanaged: s.unmanaged,
    }).toEqual({ managed: 4, in_sync: 2, changed: 2, missing: 1, unmanaged: 1 });
    expect(s.coverage).toBeCloseTo(4 / 6, 4);
    expect(report.items.map((i) => `${i.kind} ${i.address}`).sort()).toEqual([
      'changed aws_instance.resized',
      'changed aws_security_group.open',
      'missing aws_instance.gone',
      'unmanaged aws_instance.i-shadow',
    ]);
  });

  it('filters noise in smart mode and counts it', () => {
    expect(report.summary.noise_filtered).toBeGreaterThanOrEqual(1); // the stopped instance's state
    expect(report.items.find((i) => i.address === 'aws_instance.stopped')).toBeUndefined();
  });

  it('keeps noise, labelled, in full mode', () => {
    const full = analyze({ states, inventory, mode: 'full' });
    const stopped = full.items.find((i) => i.address === 'aws_instance.stopped');
    expect(stopped?.changes).toEqual([
      { path: 'instance_state', expected: 'running', actual: 'stopped', noise_rule: 'volatile' },
    ]);
    expect(full.summary.changed).toBe(2);
  });

  it('scores risk with the rules that fired', () => {
    const open = report.items.find((i) => i.address === 'aws_security_group.open')!;
    expect(open.severity).toBe('critical');
    expect(open.rules.map((r) => r.id)).toContain('ingress-open-to-world');
    expect(open.score).toBeGreaterThanOrEqual(95);
    const resized = report.items.find((i) => i.address === 'aws_instance.resized')!;
    expect(resized.rules.map((r) => r.id)).toEqual(['instance-size-changed']);
    expect(resized.severity).toBe('medium');
    expect(report.items[0]!.address).toBe('aws_security_group.open'); // riskiest first
  });

  it('estimates the monthly cost change, labelled as an estimate', () => {
    const resized = report.items.find((i) => i.address === 'aws_instance.resized')!;
    expect(resized.cost).toEqual({
      monthly_usd: Math.round((0.192 - 0.0208) * 730 * 100) / 100,
      basis: expect.stringContaining('t3.small'),
      estimate: true,
    });
    expect(report.items.find((i) => i.kind === 'missing')!.cost!.monthly_usd).toBeCloseTo(-0.0104 * 730, 2);
    expect(report.items.find((i) => i.kind === 'unmanaged')!.cost!.monthly_usd).toBeCloseTo(0.085 * 730, 2);
    expect(report.summary.cost).toMatchObject({ currency: 'USD', estimate: true, as_of: expect.any(String) });
  });

  it('gives unmanaged items the contract resource key', () => {
    expect(report.items.find((i) => i.kind === 'unmanaged')!.resource_key).toBe(
      `aws|${ACCOUNT}|us-east-1|AWS::EC2::Instance|i-shadow`,
    );
  });

  it('reports in incremental mode only what changed since the previous fingerprints', () => {
    const first = analyze({ states, inventory, mode: 'incremental' });
    expect(first.items).toHaveLength(4);
    const second = analyze({ states, inventory, mode: 'incremental', previous: first.fingerprints });
    expect(second.items).toHaveLength(0);
    expect(second.summary.unchanged_skipped).toBe(6);
    const touched = inventory.map((r) => (r.id === 'i-same' ? instance('i-same', 't3.nano') : r));
    const third = analyze({ states, inventory: touched, mode: 'incremental', previous: first.fingerprints });
    expect(third.items.map((i) => i.address)).toEqual(['aws_instance.same']);
  });

  it('honours .driftignore for resources and attributes', () => {
    const ignored = analyze({
      states,
      inventory,
      ignore: { driftignore: 'aws_instance.i-shadow\naws_instance.i-resized.instance_type' },
    });
    expect(ignored.items.map((i) => i.address).sort()).toEqual(['aws_instance.gone', 'aws_security_group.open']);
    expect(ignored.summary.ignored).toBe(1);
  });

  it('reports missing only inside the scopes discovery covered', () => {
    const scoped = analyze({
      states,
      inventory,
      scopes: [{ provider: 'aws', account: ACCOUNT, type: 'AWS::EC2::Instance', regions: ['eu-west-1'] }],
    });
    expect(scoped.summary.missing).toBe(0);
    expect(scoped.summary.not_covered).toBe(1);
  });

  it('is pure: the same input gives the same report', () => {
    expect(analyze({ states, inventory })).toEqual(report);
  });
});
