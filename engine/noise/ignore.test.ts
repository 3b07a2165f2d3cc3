import { describe, expect, it } from 'vitest';
import { compileIgnore } from './ignore.js';

describe('.driftignore (driftctl-compatible)', () => {
  const ignore = compileIgnore({
    driftignore: [
      '# comment',
      'aws_instance.i-123',
      'aws_security_group.*',
      '!aws_security_group.sg-keep',
      'azurerm_resource_group./subscriptions/*/resourceGroups/rg-sandbox',
      'google_storage_bucket.logs\\.example\\.com',
      'aws_vpc.vpc-1.tags',
      '',
    ].join('\n'),
  });

  it('ignores resources by type.id with wildcards, last matching line wins', () => {
    expect(ignore.ignoresResource('aws_instance', 'i-123')).toBe(true);
    expect(ignore.ignoresResource('aws_instance', 'i-1234')).toBe(false);
    expect(ignore.ignoresResource('aws_security_group', 'sg-1')).toBe(true);
    expect(ignore.ignoresResource('aws_security_group', 'sg-keep')).toBe(false);
    expect(ignore.ignoresResource('azurerm_resource_group', '/subscriptions/abc/resourceGroups/rg-sandbox')).toBe(true);
  });

  it('treats an escaped dot as a literal dot', () => {
    expect(ignore.ignoresResource('google_storage_bucket', 'logs.example.com')).toBe(true);
    expect(ignore.ignoresResource('google_storage_bucket', 'logsXexample.com')).toBe(false);
  });

  it('answers a pattern built to make a backtracking matcher explode', () => {
    const hostile = compileIgnore({ driftignore: '*a*a*a*a*a*a*a*a*b\n!aws_instance.*a*c' });
    expect(hostile.ignoresResource('aws_instance', 'a'.repeat(400))).toBe(false);
    expect(hostile.ignoresResource('aws_instance', `${'a'.repeat(400)}b`)).toBe(true);
  });

  it('ignores one attribute with type.id.path, leaving the resource reported', () => {
    expect(ignore.ignoresResource('aws_vpc', 'vpc-1')).toBe(false);
    expect(ignore.ignoresAttribute('aws_vpc', 'AWS::EC2::VPC', 'vpc-1', 'tags', {})).toBe(true);
    expect(ignore.ignoresAttribute('aws_vpc', 'AWS::EC2::VPC', 'vpc-1', 'cidr_block', {})).toBe(false);
  });
});

describe('attribute-level ignore rules', () => {
  const ignore = compileIgnore({
    rules: [
      { type: 'AWS::EC2::Instance', path: 'metadata_options.*' },
      { type: 'aws_ebs_volume', path: 'size', when: { path: 'Tags[].Key', equals: 'autoscaled' } },
    ],
  });

  it('matches the cloud or Terraform type and a path glob', () => {
    expect(
      ignore.ignoresAttribute('aws_instance', 'AWS::EC2::Instance', 'i-1', 'metadata_options.0.http_tokens', {}),
    ).toBe(true);
    expect(ignore.ignoresAttribute('aws_instance', 'AWS::EC2::Instance', 'i-1', 'instance_type', {})).toBe(false);
  });

  it('applies a condition on the discovered attributes', () => {
    const tagged = { Tags: [{ Key: 'autoscaled', Value: 'true' }] };
    expect(ignore.ignoresAttribute('aws_ebs_volume', 'AWS::EC2::Volume', 'vol-1', 'size', tagged)).toBe(true);
    expect(ignore.ignoresAttribute('aws_ebs_volume', 'AWS::EC2::Volume', 'vol-1', 'size', { Tags: [] })).toBe(false);
  });
});
