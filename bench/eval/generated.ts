import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypeInfo } from '../../contract/resource-types.js';
import { generateEstate } from '../../emulator/estate.js';
import { buildTerraformState, type TerraformStateV4 } from '../../emulator/terraform-state.js';
import { parseTerraformState, type CoverageScope } from '../../engine/index.js';
import type { EvalCase } from './case.js';

/** Emulator estates with a generated state and its ground truth, for several seeds and sizes. */
export interface GeneratedSpec {
  seed: number;
  resources: number;
  driftRate: number;
  noiseRate: number;
  /** Split the state in one file per cloud (several states per workspace). */
  splitByProvider?: boolean;
  /** Simulate a failed discovery of this AWS region: its inventory is dropped and it is left out of the scopes. */
  failedAwsRegion?: string;
}

export const GENERATED_SPECS: GeneratedSpec[] = [
  { seed: 1, resources: 400, driftRate: 0.1, noiseRate: 0.3 },
  { seed: 2, resources: 1200, driftRate: 0.15, noiseRate: 0.4, splitByProvider: true },
  { seed: 3, resources: 2500, driftRate: 0.1, noiseRate: 0.3, failedAwsRegion: 'eu-west-1' },
  { seed: 4, resources: 4000, driftRate: 0.05, noiseRate: 0.5 },
];

function splitState(state: TerraformStateV4): { name: string; doc: TerraformStateV4 }[] {
  const byProvider = new Map<string, TerraformStateV4['resources']>();
  for (const r of state.resources) {
    const cloud = /hashicorp\/(\w+)/.exec(r.provider)?.[1] ?? 'other';
    byProvider.set(cloud, [...(byProvider.get(cloud) ?? []), r]);
  }
  return [...byProvider].map(([cloud, resources]) => ({ name: `${cloud}.tfstate`, doc: { ...state, resources } }));
}

function scopesWithout(inventory: readonly DiscoveredResource[], accounts: Record<string, string[]>, regions: Record<string, string[]>, failed: string): CoverageScope[] {
  const scopes: CoverageScope[] = [];
  const types = new Set(inventory.map((r) => `${r.provider}|${r.type}`));
  for (const t of types) {
    const [provider, type] = t.split('|') as [DiscoveredResource['provider'], string];
    const listing = resourceTypeInfo(provider, type)?.listing;
    for (const account of accounts[provider] ?? []) {
      scopes.push({ provider, account, type, regions: listing === 'regional' ? (regions[provider] ?? []).filter((r) => r !== failed) : ['*'] });
    }
  }
  return scopes;
}

export function generatedCase(spec: GeneratedSpec): EvalCase {
  const estate = generateEstate({ seed: spec.seed, resources: spec.resources });
  const { state, truth } = buildTerraformState(estate.resources, { seed: spec.seed, driftRate: spec.driftRate, noiseRate: spec.noiseRate });
  const files = spec.splitByProvider ? splitState(state) : [{ name: `seed-${spec.seed}.tfstate`, doc: state }];
  const states = files.map((f) => parseTerraformState(JSON.stringify(f.doc), f.name));
  const failed = spec.failedAwsRegion;
  const inventory = failed ? estate.resources.filter((r) => !(r.provider === 'aws' && r.region === failed)) : estate.resources;
  // Nothing in a region discovery could not list can be judged: neither its drift nor its noise.
  const inFailedRegion = (d: { region?: string; tf_type: string }) => d.region === failed && d.tf_type.startsWith('aws_');
  const drift = failed ? truth.drift.filter((d) => !inFailedRegion(d)) : truth.drift;
  const noise = failed ? truth.noise.filter((n) => !inFailedRegion(n)) : truth.noise;
  return {
    name: `generated seed=${spec.seed} resources=${estate.resources.length} drift=${spec.driftRate} noise=${spec.noiseRate}${spec.splitByProvider ? ' split' : ''}${failed ? ` failed-region=${failed}` : ''}`,
    states,
    inventory,
    scopes: failed ? scopesWithout(estate.resources, estate.accounts, estate.regions, failed) : undefined,
    expected: { drift, noise },
  };
}
