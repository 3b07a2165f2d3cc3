import { describe, expect, it } from 'vitest';
import type { Provider } from '../contract/resource.js';
import { generateEstate } from '../emulator/estate.js';
import { buildTerraformState } from '../emulator/terraform-state.js';
import { type AnalyzeInput, analyze } from './analyze.js';
import { ProviderScopeTally } from './managed.js';
import { defaultVpcIds } from './noise/default-resources.js';
import {
  instanceAccounts,
  instanceSlot,
  OutsideParentFinder,
  parentRefs,
  resourceSlot,
  SLOT_COUNT,
} from './partition.js';
import { parseTerraformState } from './state/parse.js';
import type { ParsedState } from './state/types.js';
import { mergeSummaries } from './summary.js';
import type { DriftReport } from './types.js';

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

describe('an analysis in parts', () => {
  /** A generated estate of every provider with drift, noise, duplicates, deposed objects and regions the state cannot tell. */
  function estate() {
    const { resources } = generateEstate({ seed: 11, resources: 1500 });
    const main = parseTerraformState(
      JSON.stringify(buildTerraformState(resources, { seed: 11, driftRate: 0.3, noiseRate: 0.3 }).state),
      'main.tfstate',
    );
    const instances = main.instances.map((inst, i) => {
      // Every seventh AWS instance loses what tells its region: it inherits its provider's, or none.
      if (i % 7 !== 0 || !inst.tfType.startsWith('aws_')) return inst;
      const { arn: _arn, availability_zone: _az, region: _region, ...attributes } = inst.attributes;
      return { ...inst, attributes };
    });
    // A second state managing some of the same resources again, and old deposed objects of others.
    const copies = main.instances.filter((_, i) => i % 23 === 0);
    const other: ParsedState = {
      source: 'other.tfstate',
      version: 4,
      dataSourcesSkipped: 3,
      instances: copies.map((inst, i) => ({
        ...inst,
        source: 'other.tfstate',
        address: `module.copy.${inst.address}`,
        ...(i % 2 ? { deposed: `dep${i}` } : {}),
      })),
    };
    return { inventory: resources, states: [{ ...main, instances, dataSourcesSkipped: 2 }, other] };
  }

  /** What the consumer does: each part its slots' resources and instances, with the context from the rest. */
  function analyseInParts(input: AnalyzeInput, parts: number): DriftReport {
    const tally = new ProviderScopeTally();
    for (const s of input.states) for (const i of s.instances) tally.add(i);
    const width = Math.ceil(SLOT_COUNT / parts);
    const reports = Array.from({ length: parts }, (_, p) => {
      const inPart = (slot: number) => slot >= p * width && slot < (p + 1) * width;
      const inventory = input.inventory.filter((r) => inPart(resourceSlot(r)));
      const states = input.states.map((s) => ({
        ...s,
        dataSourcesSkipped: p === 0 ? s.dataSourcesSkipped : 0,
        instances: s.instances.filter((i) => inPart(instanceSlot(i))),
      }));
      const wanted = parentRefs(inventory).filter((ref) => !inPart(ref.slot));
      const finder = new OutsideParentFinder(new Set(wanted.map((ref) => ref.key)));
      const slots = new Set(wanted.map((ref) => ref.slot));
      for (const r of input.inventory) if (slots.has(resourceSlot(r))) finder.addResource(r);
      for (const s of input.states) for (const i of s.instances) if (slots.has(instanceSlot(i))) finder.addInstance(i);
      const context = {
        defaultVpcIds: defaultVpcIds(input.inventory),
        providerScopes: tally.scopes(),
        parents: finder.parents(),
      };
      return analyze({ ...input, states, inventory, context });
    });
    return {
      summary: mergeSummaries(reports.map((r) => r.summary)),
      items: reports.flatMap((r) => r.items),
      duplicates: reports.flatMap((r) => r.duplicates),
      fingerprints: Object.assign({}, ...reports.map((r) => r.fingerprints)),
    };
  }

  const sorted = <T>(values: T[]) => values.map((v) => JSON.stringify(v)).sort();

  it('finds exactly what one analysis of everything finds, however many parts', () => {
    const { inventory, states } = estate();
    // Discovery left one region of each provider out, so where a missing resource is decides its verdict.
    const covered = [...new Set(inventory.map((r) => `${r.provider}|${r.account}|${r.type}`))].map((k) => {
      const [provider, account, type] = k.split('|') as [Provider, string, string];
      const regions = [...new Set(inventory.filter((r) => r.provider === provider).map((r) => r.region))];
      return { provider, account, type, regions: regions.slice(1) };
    });
    const input: AnalyzeInput = { states, inventory, scopes: covered, mode: 'full', fingerprints: true };
    const whole = analyze(input);
    const s = whole.summary;
    // The estate has every verdict the parts must agree on.
    for (const n of [s.changed, s.missing, s.unmanaged, s.duplicates, s.deposed, s.not_covered, s.implicitly_managed])
      expect(n).toBeGreaterThan(0);
    expect(s.default_resources_skipped).toBeGreaterThan(0);
    for (const parts of [2, 7, 40]) {
      const inParts = analyseInParts(input, parts);
      expect(inParts.summary).toEqual(whole.summary);
      expect(sorted(inParts.items)).toEqual(sorted(whole.items));
      expect(sorted(inParts.duplicates)).toEqual(sorted(whole.duplicates));
      expect(inParts.fingerprints).toEqual(whole.fingerprints);
    }
  });

  it('puts a resource, its state instances and the ARM resources nested under it in one slot', () => {
    const vnet = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v';
    const r = (type: string, id: string) =>
      ({ provider: 'azure', account: 's', region: 'eastus', type, id, attributes: {}, tags: {} }) as const;
    const slot = resourceSlot(r('Microsoft.Network/virtualNetworks', vnet));
    expect(resourceSlot(r('Microsoft.Network/virtualNetworks/subnets', `${vnet}/subnets/a`))).toBe(slot);
    expect(resourceSlot(r('Microsoft.Network/virtualNetworks/subnets', `${vnet.toUpperCase()}/subnets/b/`))).toBe(slot);
    const [subnet] = parseTerraformState(
      {
        version: 4,
        terraform_version: '1.9.0',
        serial: 1,
        lineage: 'l',
        outputs: {},
        resources: [
          instance(
            'azurerm_subnet',
            's',
            { id: `${vnet}/subnets/a` },
            'provider["registry.terraform.io/hashicorp/azurerm"]',
          ),
        ],
      },
      's.tfstate',
    ).instances;
    expect(instanceSlot(subnet!)).toBe(slot);
    const aws = { provider: 'aws', account: '1', region: 'us-east-1', attributes: {}, tags: {} } as const;
    expect(resourceSlot({ ...aws, type: 'AWS::EC2::Instance', id: 'i-1' })).not.toBe(
      resourceSlot({ ...aws, type: 'AWS::EC2::Instance', id: 'i-2' }),
    );
    for (const id of ['i-1', 'i-2', vnet]) {
      const s = resourceSlot({ ...aws, type: 'AWS::EC2::Instance', id });
      expect(Number.isInteger(s) && s >= 0 && s < SLOT_COUNT).toBe(true);
    }
  });
});
