/** A sensitive value as the engine keeps it: only its SHA-256, never the clear value. */
export interface SensitiveValue {
  $sensitive: string;
}

export function isSensitiveValue(value: unknown): value is SensitiveValue {
  return typeof value === 'object' && value !== null && typeof (value as SensitiveValue).$sensitive === 'string';
}

/** One managed resource instance from a Terraform state, addressed as Terraform prints it. */
export interface StateInstance {
  /** Which state file it came from (a file name or a label the caller gave). */
  source: string;
  /** `module.a.module.b.aws_instance.web["x"]`, or `…web[0]`; deposed objects keep the same address. */
  address: string;
  module?: string;
  tfType: string;
  name: string;
  /** The provider configuration address, e.g. `provider["registry.terraform.io/hashicorp/aws"].west`. */
  provider: string;
  indexKey?: string | number;
  tainted: boolean;
  /** Set for a deposed object (an old instance Terraform still has to destroy). */
  deposed?: string;
  /** Attributes with every sensitive value replaced by a {@link SensitiveValue}. */
  attributes: Record<string, unknown>;
}

export interface ParsedState {
  source: string;
  version: number;
  terraformVersion?: string;
  serial?: number;
  lineage?: string;
  instances: StateInstance[];
  /** `data` resources read but not compared: they are not owned by this configuration. */
  dataSourcesSkipped: number;
}

/** An instance a state lists that the engine does not keep, and why. */
export interface InstanceNotKept {
  address: string;
  reason: string;
}

/** What reading one state understood of it: nothing a state holds is dropped without a line here. */
export interface StateReadReport {
  source: string;
  instances_kept: number;
  /** Instances of `data` resources, counted one by one as for managed ones. */
  data_sources_skipped: number;
  not_kept: InstanceNotKept[];
  /** Parts of the state read only in part (e.g. a legacy form), in plain words. */
  warnings: string[];
}
