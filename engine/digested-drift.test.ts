import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../contract/json-chunks.js';
import type { DiscoveredResource } from '../contract/resource.js';
import { analyze } from './analyze.js';
import { renderReport } from './report/index.js';
import { MAX_KEPT_VALUE_BYTES } from './state/digest.js';
import { parseTerraformState } from './state/parse.js';
import { sensitiveKeyFrom } from './state/sensitive.js';
import { isDigestedValue } from './state/types.js';

/** Drift on values too large to store, kept as digests (state/digest.ts): found when there, never invented. */

const KEY = sensitiveKeyFrom('digested drift');
const ACCOUNT = '111122223333';
/** More rules than one stored row could hold as Terraform writes them (about 105 KB). */
const RULES = 500;

const port = (i: number) => 1000 + i;
const cidr = (i: number) => `10.${Math.floor(i / 200)}.${i % 200}.0/24`;
const description = (i: number) => `office network ${i} (ticket NET-${1000 + i})`;

const tfRule = (i: number) => ({
  cidr_blocks: [cidr(i)],
  description: description(i),
  from_port: port(i),
  ipv6_cidr_blocks: [],
  prefix_list_ids: [],
  protocol: 'tcp',
  security_groups: [],
  self: false,
  to_port: port(i),
});

const cloudRule = (i: number) => ({
  IpProtocol: 'tcp',
  FromPort: port(i),
  ToPort: port(i),
  IpRanges: [{ CidrIp: cidr(i), Description: description(i) }],
});

function stateWith(attributes: Record<string, unknown>) {
  const doc = {
    version: 4,
    serial: 1,
    lineage: 'l',
    resources: [
      {
        mode: 'managed',
        type: 'aws_security_group',
        name: 'big',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 1, attributes }],
      },
    ],
  };
  return parseTerraformState(JSON.stringify(doc), 'big.tfstate', { sensitiveKey: KEY });
}

const tfGroup = (extra: Record<string, unknown> = {}) => ({
  id: 'sg-big',
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-big`,
  name: 'big',
  description: 'Managed by Terraform',
  vpc_id: 'vpc-1',
  ingress: Array.from({ length: RULES }, (_, i) => tfRule(i)),
  egress: [],
  tags: {},
  ...extra,
});

const cloudGroup = (ingress: unknown[], extra: Record<string, unknown> = {}): DiscoveredResource => ({
  provider: 'aws',
  account: ACCOUNT,
  region: 'us-east-1',
  type: 'AWS::EC2::SecurityGroup',
  id: 'sg-big',
  attributes: {
    GroupId: 'sg-big',
    GroupName: 'big',
    Description: 'Managed by Terraform',
    VpcId: 'vpc-1',
    IpPermissions: ingress,
    IpPermissionsEgress: [],
    ...extra,
  },
  tags: {},
});

const allRules = () => Array.from({ length: RULES }, (_, i) => cloudRule(i));
const run = (cloud: DiscoveredResource, mode: 'smart' | 'full' = 'smart', state = stateWith(tfGroup())) =>
  analyze({ states: [state], inventory: [cloud], sensitiveKey: KEY, mode });

describe('a rule list too large to store', () => {
  it('is stored as digests', () => {
    expect(jsonBytes(tfGroup().ingress)).toBeGreaterThan(100_000);
    const ingress = stateWith(tfGroup()).instances[0]!.attributes.ingress;
    expect(isDigestedValue(ingress)).toBe(true);
  });

  it('is in sync with an equal cloud value, in any order and in the cloud’s own form', () => {
    expect(run(cloudGroup(allRules())).summary).toMatchObject({ managed: 1, in_sync: 1, changed: 0 });
    const reversed = run(cloudGroup(allRules().reverse()), 'full');
    expect(reversed.summary).toMatchObject({ in_sync: 1, changed: 0, noise_filtered: 1 });
    // The difference a normaliser removes is labelled with it, as for a value kept in clear.
    expect(reversed.items[0]!.changes).toEqual([
      expect.objectContaining({ path: 'ingress', noise_rule: 'order-insensitive' }),
    ]);
  });

  it('drifts when one rule changed, and the report shows sizes and digests, never the rules', () => {
    const rules = allRules();
    rules[42] = { ...cloudRule(42), FromPort: 22, ToPort: 22 };
    const report = run(cloudGroup(rules));
    expect(report.summary.changed).toBe(1);
    const [change] = report.items[0]!.changes;
    expect(change).toMatchObject({ path: 'ingress', expected: { bytes: expect.any(Number) } });
    expect(change!.noise_rule).toBeUndefined();
    expect(isDigestedValue(change!.expected) && isDigestedValue(change!.actual)).toBe(true);
    expect(jsonBytes(report.items[0])).toBeLessThan(2_000);
    const markdown = renderReport(report, 'markdown', []);
    expect(markdown).toContain('compared by digest');
    expect(markdown).not.toContain(description(7));
  });

  it('shows a cloud value small enough to print, so risk rules still read it', () => {
    const report = run(
      cloudGroup([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]),
    );
    const item = report.items[0]!;
    expect(item.changes[0]!.actual).toEqual([expect.stringContaining('0.0.0.0/0')]);
    expect(item.rules.map((r) => r.id)).toContain('ingress-open-to-world');
  });

  it('is missing from the report of a resource gone from the cloud, by size only', () => {
    const report = analyze({ states: [stateWith(tfGroup())], inventory: [], sensitiveKey: KEY });
    expect(report.summary.missing).toBe(1);
    expect(jsonBytes(report.items[0])).toBeLessThan(2_000);
  });
});

describe('provider default tags too large to store (tags_all)', () => {
  const tags = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`cost-centre-${i}`, 'x'.repeat(300)]));
  const asCloud = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
  const state = stateWith(tfGroup({ ingress: [tfRule(1)], tags: {}, tags_all: tags }));

  it('explain the cloud’s tags as provider tags when equal, and drift when not', () => {
    expect(JSON.stringify(tags).length).toBeGreaterThan(MAX_KEPT_VALUE_BYTES);
    expect(isDigestedValue(state.instances[0]!.attributes.tags_all)).toBe(true);
    const equal = run(cloudGroup([cloudRule(1)], { Tags: asCloud(tags) }), 'full', state);
    expect(equal.summary).toMatchObject({ in_sync: 1, changed: 0 });
    expect(equal.items[0]!.changes).toEqual([expect.objectContaining({ path: 'tags', noise_rule: 'tags-all' })]);
    const other = run(cloudGroup([cloudRule(1)], { Tags: asCloud({ ...tags, 'cost-centre-0': 'y' }) }), 'smart', state);
    expect(other.summary.changed).toBe(1);
  });
});
