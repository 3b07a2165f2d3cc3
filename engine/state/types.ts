/** A sensitive value as the engine keeps it: only its SHA-256, never the clear value. */
export interface SensitiveValue {
  $sensitive: string;
}

export function isSensitiveValue(value: unknown): value is SensitiveValue {
  return typeof value === 'object' && value !== null && typeof (value as SensitiveValue).$sensitive === 'string';
}

/**
 * A value too large to store (state/digest.ts), kept as its keyed digests: one per stage of the
 * diff's canonicalisation (the shaped value, then after each normaliser), so an equal cloud
 * value is recognised and a difference a normaliser removes is still labelled as noise. In a
 * report, the one digest of the value shown and its size.
 */
export interface DigestedValue {
  $digest: string[];
  /** Its size as JSON, in bytes. */
  bytes: number;
}

export function isDigestedValue(value: unknown): value is DigestedValue {
  return typeof value === 'object' && value !== null && Array.isArray((value as DigestedValue).$digest);
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
  /**
   * The attributes analysis reads (kept-attributes.ts), every sensitive value replaced by a
   * {@link SensitiveValue} and every large one by a {@link DigestedValue}.
   */
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
  /** Attribute values no analysis reads, left out of the kept instances (not data loss). */
  attributes_not_stored: number;
  /** Large values kept as keyed digests: their drift is detected, their content not shown. */
  values_stored_as_digests: number;
}
