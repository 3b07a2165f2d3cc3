import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { analyze } from '../analyze.js';
import { parseTerraformState } from '../state/parse.js';
import { renderReport } from './index.js';

const ACCOUNT = '111122223333';
const hostileTag = '<script>alert("x")</script>';
const inventory: DiscoveredResource[] = [
  {
    provider: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    type: 'AWS::EC2::Instance',
    id: 'i-1',
    name: 'web',
    attributes: {
      InstanceId: 'i-1',
      InstanceType: 't3.large',
      SubnetId: 'subnet-1',
      Tags: [{ Key: 'Name', Value: hostileTag }],
    },
    tags: { Name: hostileTag },
  },
  {
    provider: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    type: 'AWS::EC2::SecurityGroup',
    id: 'sg-9',
    name: 'adhoc',
    attributes: {
      GroupId: 'sg-9',
      GroupName: 'adhoc',
      Description: 'made by hand',
      VpcId: 'vpc-1',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      IpPermissionsEgress: [],
      Tags: [{ Key: 'Name', Value: 'adhoc' }],
    },
    tags: { Name: 'adhoc' },
  },
  {
    provider: 'azure',
    account: '0b7c5a4e-1f2d-4c3b-9a8e-7d6c5b4a3f2e',
    region: 'eastus',
    type: 'Microsoft.Network/virtualNetworks/subnets',
    id: '/subscriptions/0b7c5a4e-1f2d-4c3b-9a8e-7d6c5b4a3f2e/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-1/subnets/snet-a',
    name: 'snet-a',
    attributes: { name: 'snet-a', properties: { addressPrefix: '10.1.0.0/24' } },
    tags: {},
  },
];
const state = parseTerraformState(
  {
    version: 4,
    resources: [
      {
        mode: 'managed',
        type: 'aws_instance',
        name: 'web',
        provider: 'p',
        instances: [
          {
            attributes: {
              id: 'i-1',
              arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`,
              instance_type: 't3.small',
              subnet_id: 'subnet-1',
              tags: { Name: 'web' },
            },
          },
        ],
      },
    ],
  },
  'prod.tfstate',
);
const report = analyze({ states: [state], inventory });

describe('report renderers', () => {
  it('SARIF 2.1.0 has the structure code scanning expects', () => {
    const sarif = JSON.parse(renderReport(report, 'sarif'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run = sarif.runs[0];
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(run.tool.driver.name).toBe('DriftMgr');
    expect(run.results).toHaveLength(3);
    for (const result of run.results) {
      expect(ruleIds).toContain(result.ruleId);
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text).toEqual(expect.any(String));
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toEqual(expect.any(String));
    }
    expect(run.results[0].ruleId).toBe('ingress-open-to-world');
    expect(run.results[0].level).toBe('error');
  });

  it('HTML is self-contained and escapes every value', () => {
    const html = renderReport(report, 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('Markdown fits a PR comment: summary table and per-item details', () => {
    const md = renderReport(report, 'markdown');
    expect(md).toContain('## DriftMgr drift report');
    expect(md).toMatch(/\| managed \| in sync \| changed \| missing \| unmanaged \|/);
    expect(md).toContain('<details><summary><code>aws_instance.web</code>');
    expect(md).toContain('| `instance_type` | `t3.small` | `t3.large` |');
    expect(md).toContain('estimates');
  });

  it('JSON is the report itself', () => {
    expect(JSON.parse(renderReport(report, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('codify writes import blocks and resource skeletons for unmanaged resources', () => {
    const hcl = renderReport(report, 'codify', inventory);
    expect(hcl).toContain('import {\n  to = aws_security_group.adhoc\n  id = "sg-9"\n}');
    expect(hcl).toContain('resource "aws_security_group" "adhoc" {');
    expect(hcl).toContain('ingress {');
    expect(hcl).toContain('cidr_blocks = ["0.0.0.0/0"]');
    expect(hcl).toContain('resource "azurerm_subnet" "snet-a" {');
    expect(hcl).toContain('virtual_network_name = "vnet-1"');
    expect(hcl).toContain('resource_group_name = "rg-net"');
    expect(hcl).toContain('address_prefixes = ["10.1.0.0/24"]');
    expect(hcl).not.toContain('aws_instance');
  });
});
