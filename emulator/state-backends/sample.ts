import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { forkRng, uuid } from '../rng.js';
import { buildTerraformState, type TerraformStateV4 } from '../terraform-state.js';
import { StateBackendObjects } from './objects.js';

/** Where the sample states are kept, named in the emulator's start-up line and the README. */
export const SAMPLE_STATE_PLACES = {
  s3: { bucket: 'driftmgr-states', key: 'estate/terraform.tfstate' },
  gcs: { bucket: 'driftmgr-states', name: 'estate/default.tfstate' },
  azurerm: { account: 'driftmgrstates', container: 'tfstate', blob: 'estate.tfstate' },
  remote: { organization: 'driftmgr', workspace: 'estate' },
  http: { path: 'estate' },
} as const;

const TYPE_PREFIX: Record<Provider, string> = { aws: 'aws_', azure: 'azurerm_', gcp: 'google_' };

/** The part of a state one cloud's resources make, as a state of its own (its own lineage). */
function partOf(state: TerraformStateV4, provider: Provider, lineage: string): string {
  const resources = state.resources.filter((r) => r.type.startsWith(TYPE_PREFIX[provider]));
  return `${JSON.stringify({ ...state, lineage, resources }, null, 2)}\n`;
}

/**
 * The sample estate's Terraform state (emulator/terraform-state.ts) in every backend: each
 * cloud's part in its own storage (S3 in the first AWS account's bucket, Cloud Storage, Blob
 * Storage), and the whole state in a Terraform Cloud workspace and at an http backend address.
 */
export function sampleStateObjects(resources: DiscoveredResource[], seed: number, awsOwner: string) {
  const { state } = buildTerraformState(resources, { seed });
  const rng = forkRng(seed, 'state-backends');
  const objects = new StateBackendObjects();
  const p = SAMPLE_STATE_PLACES;
  objects.putS3(p.s3.bucket, awsOwner, p.s3.key, partOf(state, 'aws', uuid(rng)));
  objects.putGcs(p.gcs.bucket, p.gcs.name, partOf(state, 'gcp', uuid(rng)));
  objects.putBlob(p.azurerm.account, p.azurerm.container, p.azurerm.blob, partOf(state, 'azure', uuid(rng)));
  const whole = `${JSON.stringify(state, null, 2)}\n`;
  objects.putTfcState(p.remote.organization, p.remote.workspace, whole);
  objects.putHttp(p.http.path, whole);
  return objects;
}
