import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { instanceAccounts } from './partition.js';
import { parseTerraformState } from './state/parse.js';
import { mergeSummaries } from './summary.js';

const instance = (
  type: string,
  name: string,
  attributes: Record<string, unknown>,
  provider = 'provider["registry.terraform.io/hashicorp/aws"]',
) => ({
  mode: 'managed',
  type,
  name,
  provider,
  instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
});

const state = parseTerraformState({
  version: 4,
  terraform_version: '1.9.0',
  serial: 1,
  lineage: 'l',
  outputs: {},
  resources: [
    instance('aws_instance', 'a', {
      id: 'i-1',
      arn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
      instance_type: 't3.micro',
    }),
    // No ARN of its own: the account comes from its siblings under the same provider.
    instance('aws_ebs_volume', 'v', { id: 'vol-1', size: 8, availability_zone: 'us-east-1a' }),
    instance(
      'azurerm_resource_group',
      'rg',
      { id: '/subscriptions/AAAA-BBBB/resourceGroups/rg', name: 'rg', location: 'eastus' },
      'provider["registry.terraform.io/hashicorp/azurerm"]',
    ),
    instance('null_resource', 'n', { id: '123' }, 'provider["registry.terraform.io/hashicorp/null"]'),
  ],
});

describe('instanceAccounts', () => {
  it("tells each instance's account, lower case, inheriting from siblings, null when unknown", () => {
    expect(instanceAccounts(state)).toEqual(['111111111111', '111111111111', 'aaaa-bbbb', null]);
  });
});

describe('mergeSummaries', () => {
  it('adds up the parts of an analysis and recomputes coverage', () => {
    const one = analyze({ states: [state], inventory: [] }).summary;
    const merged = mergeSummaries([one, one]);
    expect(merged.state_resources).toBe(2 * one.state_resources);
    expect(merged.missing).toBe(2 * one.missing);
    expect(merged.by_severity.high).toBe(2 * one.by_severity.high);
    expect(merged.unsupported_types).toEqual({ null_resource: 2 });
    expect(merged.coverage).toBe(0);
    expect(() => mergeSummaries([])).toThrow();
  });
});
