import type { Provider } from '../../contract/resource.js';
import type { CoverageLevel } from '../../contract/resource-types.js';
import type { NormaliserName } from '../noise/normalisers.js';
import type { ConverterName } from './converters.js';

/**
 * How a resource id is normalised so state and cloud spell it the same way. Existence-level
 * types compare Cloud Control identifiers `exact`ly and Cloud Asset names as `gcp-asset`.
 */
export type IdKind = 'aws' | 'azure' | 'gcp-path' | 'gcp-bucket' | 'exact' | 'gcp-asset';

/** Where an attribute difference is noise by nature rather than by format. */
export type AttributeNoise =
  /** Set by the cloud, never by configuration (ARNs, versions, platform details). */
  | 'computed'
  /** Changes at run time without anyone touching configuration (state, ephemeral IPs). */
  | 'volatile'
  /** Like volatile, but appearing or disappearing is real drift (a public IP added). */
  | 'volatile-when-present'
  /**
   * A list whose elements configuration declares one by one, elsewhere than in the resource (a
   * route table's associations): an element no state declares is not drift, a declared one gone is.
   */
  | 'undeclared-elements';

/** One Terraform attribute and the place the cloud API reports the same setting. */
export interface AttributeMap {
  /** Terraform attribute path: `instance_type`, `metadata_options.0.http_tokens`. */
  tf: string;
  /** Cloud attribute path (see util/path.ts): `InstanceType`, `SecurityGroups[].GroupId`. */
  cloud: string;
  /** Structural conversion of each side to one comparable shape (not noise: just the mapping). */
  tfConvert?: ConverterName;
  cloudConvert?: ConverterName;
  /** Format normalisers, in order; a difference they remove is noise labelled with their rule. */
  steps?: NormaliserName[];
  /** Value the cloud fills in when configuration leaves the attribute unset. */
  default?: unknown;
  noise?: AttributeNoise;
  /** A Terraform attribute that supersedes `tf` when set (tags_all holds provider default tags). */
  tfEffective?: string;
  /** The list API does not always return this attribute: absent in the cloud is not drift. */
  cloudMayOmit?: boolean;
  /** Writes a canonical value back in Terraform's form (the state writer and codify use it). */
  toTf?: ConverterName;
}

/** Where a state resource's account and region come from. */
export type ScopeSource =
  | { from: 'arn' }
  | { from: 'azure-id' }
  | { from: 'gcp-id' }
  /** A place every resource of the type has (`global` for IAM roles, DNS zones, Pub/Sub topics). */
  | { from: 'fixed'; value: string }
  | { from: 'attr'; path: string; form: 'as-is' | 'az-to-region' | 'azure-location' | 'lower' };

export interface TypeMapping {
  provider: Provider;
  tfType: string;
  /** Cloud-native type from contract/resource-types.ts. */
  cloudType: string;
  /** `existence`: no attributes mapped; the type is only matched by id (missing, unmanaged). */
  level: CoverageLevel;
  /**
   * Terraform attribute holding the cloud id (usually `id`) and how to normalise it; or, for
   * existence-level types, a `template` rendering the cloud id from several attributes.
   */
  id: { tf: string; kind: IdKind; template?: string };
  /** The id `terraform import` expects, read from the discovered resource (default: its id). */
  importId?: { cloudPath: string };
  account: ScopeSource[];
  region: ScopeSource[];
  attributes: AttributeMap[];
  /** Several Terraform types for one cloud type: which one codify picks for a resource. */
  codifyWhen?: { cloudPath: string; equals: string };
  /** Terraform arguments a resource skeleton needs besides the mapped ones (e.g. the vnet of a subnet). */
  codifyExtra?: { tf: string; cloud: string; convert?: ConverterName }[];
}
