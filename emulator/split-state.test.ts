import { describe, expect, it } from 'vitest';
import { analyze, parseTerraformState, SPLIT_CHILD_TYPES } from '../engine/index.js';
import { generateEstate } from './estate.js';
import { withIamPolicies } from './gcp/iam-policies.js';
import { forkRng } from './rng.js';
import { splitParent } from './split-state.js';
import { buildTerraformState } from './terraform-state.js';

describe('separate rules and routes in the sample state', () => {
  const estate = generateEstate({ seed: 42, resources: 1200 });

  it('writes some parents rules as separate resources, and the engine finds only the drift injected', () => {
    const { state, truth } = buildTerraformState(estate.resources, { seed: 42, driftRate: 0, noiseRate: 0 });
    const separate = state.resources.filter((r) => SPLIT_CHILD_TYPES.has(r.type));
    expect(new Set(separate.map((r) => r.type)).size).toBeGreaterThanOrEqual(3);
    expect(truth.drift.filter((d) => d.kind !== 'unmanaged')).toEqual([]);
    const report = analyze({
      states: [parseTerraformState(JSON.stringify(state), 'sample.tfstate')],
      inventory: withIamPolicies(estate.resources),
    });
    expect(report.items.filter((i) => i.kind !== 'unmanaged')).toEqual([]);
    expect(Object.keys(report.summary.unsupported_types).filter((t) => SPLIT_CHILD_TYPES.has(t))).toEqual([]);
  });

  it('moves every inline block of a parent into children that name it, or keeps the inline copies too', () => {
    const attributes = {
      id: 'rtb-1',
      route: [
        { cidr_block: '0.0.0.0/0', gateway_id: 'igw-1' },
        { cidr_block: '10.9.0.0/16', vpc_peering_connection_id: 'pcx-1' },
      ],
    };
    const outcomes = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const parent = { tfType: 'aws_route_table', attributes: structuredClone(attributes), provider: 'p' };
      const children = splitParent(parent, forkRng(i, 'split-test'));
      expect(children.map((c) => [c.tfType, c.attributes.route_table_id, c.attributes.destination_cidr_block])).toEqual(
        [
          ['aws_route', 'rtb-1', '0.0.0.0/0'],
          ['aws_route', 'rtb-1', '10.9.0.0/16'],
        ],
      );
      outcomes.add(parent.attributes.route.length);
    }
    expect(outcomes).toEqual(new Set([0, 2]));
  });

  it('writes route table associations only as separate resources, never inline', () => {
    const { state } = buildTerraformState(estate.resources, { seed: 42, driftRate: 0, noiseRate: 0 });
    const tables = state.resources.filter((r) => r.type === 'aws_route_table').flatMap((r) => r.instances);
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.filter((i) => 'association' in i.attributes)).toEqual([]);
    const associations = state.resources.filter((r) => r.type === 'aws_route_table_association');
    expect(associations.length).toBeGreaterThan(0);
    const tableIds = new Set(tables.map((i) => i.attributes.id));
    for (const r of associations) {
      const [attrs] = r.instances.map((i) => i.attributes);
      expect(tableIds).toContain(attrs!.route_table_id);
      expect(String(attrs!.subnet_id || attrs!.gateway_id)).toMatch(/^(subnet|igw|vgw)-/);
    }
  });

  it('injects associations the cloud lost as missing on their own address, and the engine finds exactly those', () => {
    const { state, truth } = buildTerraformState(estate.resources, { seed: 42, driftRate: 0.2, noiseRate: 0 });
    const lost = truth.drift.filter((d) => d.tf_type === 'aws_route_table_association');
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((d) => d.kind === 'missing')).toBe(true);
    const report = analyze({
      states: [parseTerraformState(JSON.stringify(state), 'sample.tfstate')],
      inventory: estate.resources,
    });
    const found = report.items.filter((i) => i.tf_type === 'aws_route_table_association');
    expect(found.map((i) => [i.kind, i.address]).sort()).toEqual(lost.map((d) => ['missing', d.address]).sort());
  });
});
