import { describe, expect, it } from 'vitest';
import { generateEstate } from '../emulator/estate.js';
import { buildTerraformState } from '../emulator/terraform-state.js';
import { instanceAccounts, instanceSlot } from './partition.js';
import { parseTerraformState } from './state/parse.js';
import type { ParsedState, StateInstance } from './state/types.js';
import { StreamedAccounts } from './streamed-accounts.js';

/** What a streamed import stores: each account as added, then the inherited ones filled in. */
function streamedAccounts(state: ParsedState): (string | null)[] {
  const tracker = new StreamedAccounts();
  const stored = state.instances.map((instance, seq) => tracker.add(instance, seq));
  const doubtful = new Set(tracker.doubtfulSlots);
  const earlier = state.instances
    .map((instance, seq) => ({ seq, instance }))
    .filter(({ instance }) => doubtful.has(instanceSlot(instance)));
  for (const { account, seqs } of tracker.inherited(earlier)) for (const seq of seqs) stored[seq] = account;
  return stored;
}

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';
const volume = (id: string, extra: Partial<StateInstance> = {}): StateInstance => ({
  source: 's',
  address: `aws_ebs_volume.${id}`,
  tfType: 'aws_ebs_volume',
  name: id,
  provider: AWS,
  tainted: false,
  attributes: { id, size: 8 },
  ...extra,
});
const instance = (id: string, account: string): StateInstance => ({
  ...volume(id),
  address: `aws_instance.${id}`,
  tfType: 'aws_instance',
  attributes: { id, arn: `arn:aws:ec2:us-east-1:${account}:instance/${id}` },
});

describe('StreamedAccounts', () => {
  it('gives what instanceAccounts gives: own accounts, inherited ones, none for duplicates and deposed objects', () => {
    const state: ParsedState = {
      source: 's',
      version: 4,
      dataSourcesSkipped: 0,
      instances: [
        volume('vol-1'),
        instance('i-1', '111111111111'),
        // A duplicate of vol-1 keeps only what it says itself (nothing); a deposed object too.
        volume('vol-1', { address: 'module.b.aws_ebs_volume.vol-1' }),
        volume('vol-2', { deposed: 'd1' }),
        volume('vol-3'),
        { ...volume('vol-4'), provider: `${AWS}.other` },
      ],
    };
    expect(streamedAccounts(state)).toEqual(instanceAccounts(state));
    expect(streamedAccounts(state)).toEqual(['111111111111', '111111111111', null, null, '111111111111', null]);
  });

  it('leaves accounts unknown where a provider talks to several', () => {
    const state: ParsedState = {
      source: 's',
      version: 4,
      dataSourcesSkipped: 0,
      instances: [volume('vol-1'), instance('i-1', '111111111111'), instance('i-2', '222222222222')],
    };
    expect(streamedAccounts(state)).toEqual([null, '111111111111', '222222222222']);
    expect(streamedAccounts(state)).toEqual(instanceAccounts(state));
  });

  it('agrees with instanceAccounts on a generated estate whose regions and accounts the state often cannot tell', () => {
    const { resources } = generateEstate({ seed: 5, resources: 3000 });
    const parsed = parseTerraformState(JSON.stringify(buildTerraformState(resources, { seed: 5 }).state), 'main');
    const instances = parsed.instances.flatMap((inst, i) => {
      if (!inst.tfType.startsWith('aws_') || i % 5 !== 0) return [inst];
      // Every fifth AWS instance loses its ARN, and every tenth is managed twice.
      const { arn: _arn, owner_id: _owner, ...attributes } = inst.attributes;
      const bare = { ...inst, attributes };
      return i % 10 === 0 ? [bare, { ...bare, address: `module.again.${inst.address}` }] : [bare];
    });
    const state = { ...parsed, instances };
    const expected = instanceAccounts(state);
    expect(expected.filter((a) => a === null).length).toBeGreaterThan(0);
    expect(streamedAccounts(state)).toEqual(expected);
  });
});
