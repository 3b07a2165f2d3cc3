import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { analyze } from './analyze.js';
import { parseTerraformState } from './state/parse.js';

// Every report here is built inside its test, so mutation testing sees each outcome path.
const ACCOUNT = '111122223333';
const arn = (kind: string, id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:${kind}/${id}`;

const found = (type: string, id: string, attributes: Record<string, unknown>): DiscoveredResource => ({
  provider: 'aws',
  account: ACCOUNT,
  region: 'us-east-1',
  type,
  id,
  attributes,
  tags: {},
});
const cloudVpc = (id: string, cidr = '10.0.0.0/16', extra: Record<string, unknown> = {}) =>
  found('AWS::EC2::VPC', id, { VpcId: id, CidrBlock: cidr, InstanceTenancy: 'default', ...extra });
const cloudInstance = (id: string) => found('AWS::EC2::Instance', id, { InstanceId: id });
const cloudVolume = (id: string, instanceId: string, deleteOnTermination: boolean) =>
  found('AWS::EC2::Volume', id, {
    VolumeId: id,
    Attachments: [{ InstanceId: instanceId, DeleteOnTermination: deleteOnTermination }],
  });

type Resource = { type: string; name: string; id: string; attributes?: Record<string, unknown>; deposed?: string };
const stateVpc = (name: string, id: string, cidr = '10.0.0.0/16'): Resource => ({
  type: 'aws_vpc',
  name,
  id,
  attributes: { cidr_block: cidr, arn: arn('vpc', id) },
});
const stateInstance = (name: string, id: string, deposed?: string): Resource => ({
  type: 'aws_instance',
  name,
  id,
  attributes: { arn: arn('instance', id) },
  deposed,
});

function state(resources: Resource[]) {
  return parseTerraformState({
    version: 4,
    resources: resources.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ attributes: { id: r.id, ...r.attributes }, ...(r.deposed ? { deposed: r.deposed } : {}) }],
    })),
  });
}

describe('analyze outcomes', () => {
  it('skips ignored resources whether they changed, went missing or are unmanaged', () => {
    const report = analyze({
      states: [state([stateVpc('changed', 'vpc-c', '10.1.0.0/16'), stateVpc('gone', 'vpc-g')])],
      inventory: [cloudVpc('vpc-c', '10.9.0.0/16'), cloudVpc('vpc-x')],
      ignore: { driftignore: 'aws_vpc.vpc-c\naws_vpc.vpc-g\naws_vpc.vpc-x' },
    });
    expect(report.items).toEqual([]);
    expect(report.summary).toMatchObject({ ignored: 3, changed: 0, missing: 0, unmanaged: 0, managed: 1 });
  });

  it('reports what the ignore rules leave out', () => {
    const report = analyze({
      states: [state([stateVpc('changed', 'vpc-c', '10.1.0.0/16'), stateVpc('gone', 'vpc-g')])],
      inventory: [cloudVpc('vpc-c', '10.9.0.0/16'), cloudVpc('vpc-x')],
      ignore: { driftignore: 'aws_vpc.vpc-other' },
    });
    expect(report.items.map((i) => `${i.kind} ${i.address}`).sort()).toEqual([
      'changed aws_vpc.changed',
      'missing aws_vpc.gone',
      'unmanaged aws_vpc.vpc-x',
    ]);
    expect(report.summary.ignored).toBe(0);
  });

  it('skips default VPCs the cloud made itself, counting them', () => {
    const report = analyze({
      states: [],
      inventory: [cloudVpc('vpc-default', '172.31.0.0/16', { IsDefault: true }), cloudVpc('vpc-mine')],
    });
    expect(report.summary).toMatchObject({ default_resources_skipped: 1, unmanaged: 1 });
    expect(report.items.map((i) => i.resource_key)).toEqual([`aws|${ACCOUNT}|us-east-1|AWS::EC2::VPC|vpc-mine`]);
  });

  it('counts a root volume of a managed instance as managed through it, and a kept volume as unmanaged', () => {
    const report = analyze({
      states: [state([stateInstance('web', 'i-1')])],
      inventory: [
        cloudInstance('i-1'),
        cloudVolume('vol-root', 'i-1', true),
        cloudVolume('vol-kept', 'i-1', false),
        cloudVolume('vol-other', 'i-9', true),
      ],
    });
    expect(report.summary).toMatchObject({ managed: 1, implicitly_managed: 1, unmanaged: 2 });
    expect(
      report.items
        .filter((i) => i.kind === 'unmanaged')
        .map((i) => i.resource_key?.split('|').at(-1))
        .sort(),
    ).toEqual(['vol-kept', 'vol-other']);
  });

  it('takes a deposed object and the volumes it created for real, not unmanaged', () => {
    const report = analyze({
      states: [state([stateInstance('web', 'i-old', 'd1')])],
      inventory: [cloudInstance('i-old'), cloudVolume('vol-root', 'i-old', true)],
    });
    expect(report.summary).toMatchObject({ deposed: 1, unmanaged: 0, implicitly_managed: 1, missing: 0 });
  });

  it('orders items of equal risk by address', () => {
    const report = analyze({ states: [state(['c', 'a', 'b'].map((n) => stateVpc(n, `vpc-${n}`)))], inventory: [] });
    expect(report.items.map((i) => i.address)).toEqual(['aws_vpc.a', 'aws_vpc.b', 'aws_vpc.c']);
    expect(new Set(report.items.map((i) => `${i.score} ${i.severity}`)).size).toBe(1);
  });

  it('counts severities of items with real drift, not of noise-only changes kept in full mode', () => {
    const inventory = [cloudVpc('vpc-n', '10.0.0.0/16', { DhcpOptionsId: 'dopt-2' })];
    const states = [
      state([
        {
          ...stateVpc('noisy', 'vpc-n'),
          attributes: { cidr_block: '10.0.0.0/16', arn: arn('vpc', 'vpc-n'), dhcp_options_id: 'dopt-1' },
        },
      ]),
    ];
    const full = analyze({ states, inventory, mode: 'full' });
    expect(full.items.map((i) => i.address)).toEqual(['aws_vpc.noisy']);
    expect(full.summary.by_severity).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
    const missing = analyze({ states, inventory: [] });
    expect(Object.values(missing.summary.by_severity).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
