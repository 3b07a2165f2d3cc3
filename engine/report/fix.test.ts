import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { scanHcl } from '../../test/support/report-scan.js';
import type { AttributeChange, DriftItem } from '../types.js';
import { fixSnippet } from './fix.js';

const HOSTILE_TAG = '${var.x} %{ for k in var.y }${k}%{ endfor } "quoted" \\ line one\nline two\r\n';

function item(kind: DriftItem['kind'], address: string, changes: AttributeChange[] = []): DriftItem {
  return {
    kind,
    address,
    tf_type: 'aws_security_group',
    cloud_type: 'AWS::EC2::SecurityGroup',
    provider: 'aws',
    id: 'sg-1',
    changes,
    severity: 'low',
    score: 1,
    rules: [],
    cost: null,
  };
}

/** Lines outside string literals that are neither comments nor the block structure fix writes. */
function liveLines(hcl: string): string[] {
  return scanHcl(hcl)
    .bare.split('\n')
    .filter((l) => !/^\s*(#.*)?$/.test(l) && !/^\s*\}?$/.test(l));
}

describe('fixSnippet for a changed item', () => {
  const changed = item('changed', 'module.net["a"].aws_security_group.web[0]', [
    { path: 'description', expected: 'old', actual: HOSTILE_TAG },
    { path: 'tags', expected: { Name: 'x' }, actual: { Name: HOSTILE_TAG, [HOSTILE_TAG]: '%{ if true }y%{ endif }' } },
    { path: 'versioning.0.enabled', expected: false, actual: true },
    { path: 'name', expected: 'a', actual: 'b', noise_rule: 'computed' },
    { path: 'secret', expected: { $sensitive: 'h1' }, actual: { $sensitive: 'h2' } },
  ]);
  const hcl = fixSnippet(changed);

  it("sets the changed top-level arguments to the cloud's values, templates never live", () => {
    expect(hcl).toContain('resource "aws_security_group" "web" {');
    const scan = scanHcl(hcl);
    expect(scan.liveTemplates).toEqual([]);
    expect(scan.strings).toContain(HOSTILE_TAG);
    expect(scan.strings).toContain('%{ if true }y%{ endif }');
    expect(hcl).toContain('$${var.x}');
    expect(hcl).toContain('%%{ for k in var.y }');
    expect(liveLines(hcl)).toEqual(['resource   {', '  description = ', '  tags = {', '    Name = ', '     = ']);
  });

  it('shows nested and opaque paths as comments, leaves noise out, and offers a targeted apply', () => {
    expect(hcl).toContain('  # versioning.0.enabled is nested: set it inside its block.');
    expect(hcl).toMatch(/^ {2}# secret: the cloud's value is not shown/m);
    expect(hcl).not.toMatch(/^\s*name = /m);
    expect(hcl).toContain('# The block is in the configuration of module.net["a"].');
    expect(hcl).toContain(`# terraform apply -target='module.net["a"].aws_security_group.web[0]'`);
  });
});

describe('fixSnippet for a missing item', () => {
  it('offers a targeted apply and a removed block without instance keys', () => {
    const hcl = fixSnippet({
      ...item('missing', 'module.m[1].aws_security_group.db["it\'s"]'),
      state_source: 'prod\n#x',
    });
    expect(hcl).toContain(`# terraform apply -target='module.m[1].aws_security_group.db["it'\\''s"]'`);
    expect(hcl).toContain(
      'removed {\n  from = module.m.aws_security_group.db\n  lifecycle {\n    destroy = false\n  }\n}',
    );
    expect(hcl).toContain('# State: prod↵#x');
    expect(liveLines(hcl)).toEqual([
      'removed {',
      '  from = module.m.aws_security_group.db',
      '  lifecycle {',
      '    destroy = false',
    ]);
  });

  it('writes nothing from an address that is not a Terraform address', () => {
    for (const address of [
      'aws_x.a\nresource "x" "y" {}',
      "aws_x.a'; rm -rf ~; '",
      'aws_x.${var.x}',
      'aws_x.a["\u2028"]',
    ])
      expect(fixSnippet(item('missing', address))).toMatch(/^# No fix is written[^\n]*\n$/);
  });
});

describe('fixSnippet for an unmanaged item', () => {
  it("is codify's import block for its resource", () => {
    const resource: DiscoveredResource = {
      provider: 'aws',
      account: '123456789012',
      region: 'us-east-1',
      type: 'AWS::EC2::SecurityGroup',
      id: 'sg-9',
      name: 'web',
      attributes: { GroupId: 'sg-9', GroupName: 'web', Description: HOSTILE_TAG, VpcId: 'vpc-1' },
      tags: {},
    };
    const hcl = fixSnippet(item('unmanaged', 'aws_security_group.web'), resource);
    expect(hcl).toMatch(/^import \{\n {2}to = aws_security_group\.web\n {2}id = "sg-9"\n\}/);
    expect(scanHcl(hcl).liveTemplates).toEqual([]);
    expect(scanHcl(hcl).strings).toContain(HOSTILE_TAG);
    expect(fixSnippet(item('unmanaged', 'aws_security_group.web'))).toMatch(/^# Codify has no import block/);
  });
});

describe('fixSnippet of arbitrary values', () => {
  it('never leaves a live template and reads every value back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
        const changes = [{ path: 'tags', expected: null, actual: { [value]: value } }];
        const scan = scanHcl(fixSnippet(item('changed', 'aws_s3_bucket.b', changes)));
        expect(scan.liveTemplates).toEqual([]);
        expect(scan.strings).toContain(value.toWellFormed());
      }),
      { numRuns: 200 },
    );
  });
});
