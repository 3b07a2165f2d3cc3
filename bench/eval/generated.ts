import type { Provider } from '../../contract/resource.js';
import { ACCOUNT_WIDE_REGION, resourceTypeInfo, resourceTypesOf } from '../../contract/resource-types.js';
import { type Estate, generateEstate } from '../../emulator/estate.js';
import { withIamPolicies } from '../../emulator/gcp/iam-policies.js';
import { buildTerraformState, type TerraformStateV4 } from '../../emulator/terraform-state.js';
import { type CoverageScope, parseTerraformState, placingMappingForTfType } from '../../engine/index.js';
import { coveredScopes } from '../../orchestrator-do/coverage.js';
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
  /** One cloud alone, with all of `resources`. */
  only?: Provider;
}

export const GENERATED_SPECS: GeneratedSpec[] = [
  { seed: 1, resources: 400, driftRate: 0.1, noiseRate: 0.3 },
  { seed: 2, resources: 1200, driftRate: 0.15, noiseRate: 0.4, splitByProvider: true },
  { seed: 3, resources: 2500, driftRate: 0.1, noiseRate: 0.3, failedAwsRegion: 'eu-west-1' },
  { seed: 4, resources: 4000, driftRate: 0.05, noiseRate: 0.5 },
];

/** 100,000 resources of each cloud alone, as `npm run eval` measures them. */
export const LARGE_SPECS: GeneratedSpec[] = (['aws', 'azure', 'gcp'] as const).map((only) => ({
  seed: 42,
  resources: 100_000,
  driftRate: 0.1,
  noiseRate: 0.3,
  only,
}));

function splitState(state: TerraformStateV4): { name: string; doc: TerraformStateV4 }[] {
  const byProvider = new Map<string, TerraformStateV4['resources']>();
  for (const r of state.resources) {
    const cloud = /hashicorp\/(\w+)/.exec(r.provider)?.[1] ?? 'other';
    byProvider.set(cloud, [...(byProvider.get(cloud) ?? []), r]);
  }
  return [...byProvider].map(([cloud, resources]) => ({ name: `${cloud}.tfstate`, doc: { ...state, resources } }));
}

/**
 * What a discovery job over every account and region of the estate covers, by the job
 * coordinator's own rule: one listing per type and region (account-wide ones once), every one
 * succeeded but those of the failed AWS region.
 */
function discoveryScopes(estate: Estate, failedAwsRegion: string | undefined): CoverageScope[] {
  return (Object.keys(estate.accounts) as Provider[]).flatMap((provider) => {
    const shards = estate.accounts[provider].flatMap((account) =>
      resourceTypesOf(provider).flatMap((t) =>
        (t.listing === 'regional' ? estate.regions[provider] : [ACCOUNT_WIDE_REGION]).map((region) => ({
          account,
          work: [{ type: t.type, region }],
          status: provider === 'aws' && region === failedAwsRegion ? ('failed' as const) : ('succeeded' as const),
        })),
      ),
    );
    return coveredScopes(provider, estate.regions[provider], shards);
  });
}

export function generatedCase(spec: GeneratedSpec): EvalCase {
  const estate = generateEstate({ seed: spec.seed, resources: spec.resources, only: spec.only });
  const { state, truth } = buildTerraformState(estate.resources, {
    seed: spec.seed,
    driftRate: spec.driftRate,
    noiseRate: spec.noiseRate,
  });
  const files = spec.splitByProvider ? splitState(state) : [{ name: `seed-${spec.seed}.tfstate`, doc: state }];
  const states = files.map((f) => parseTerraformState(JSON.stringify(f.doc), f.name));
  const failed = spec.failedAwsRegion;
  // A failed region loses its regional listings; account-wide ones (S3, IAM) list it all the same.
  const listedPerRegion = (cloudType: string | undefined) =>
    cloudType !== undefined && resourceTypeInfo('aws', cloudType)?.listing === 'regional';
  const listed = withIamPolicies(estate.resources);
  const inventory = failed
    ? listed.filter((r) => !(r.provider === 'aws' && r.region === failed && listedPerRegion(r.type)))
    : listed;
  // Nothing in a region discovery could not list can be judged: neither its drift nor its noise.
  const inFailedRegion = (d: { region?: string; tf_type: string }) =>
    d.region === failed &&
    d.tf_type.startsWith('aws_') &&
    listedPerRegion(placingMappingForTfType(d.tf_type)?.cloudType);
  const drift = failed ? truth.drift.filter((d) => !inFailedRegion(d)) : truth.drift;
  const noise = failed ? truth.noise.filter((n) => !inFailedRegion(n)) : truth.noise;
  return {
    name: `generated seed=${spec.seed} resources=${estate.resources.length} drift=${spec.driftRate} noise=${spec.noiseRate}${spec.splitByProvider ? ' split' : ''}${failed ? ` failed-region=${failed}` : ''}${spec.only ? ` ${spec.only} only` : ''}`,
    states,
    inventory,
    scopes: discoveryScopes(estate, failed),
    expected: { drift, noise },
  };
}
