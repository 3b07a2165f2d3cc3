import { z } from 'zod';
import { Provider } from './resource.js';

/** What a drift item says about a resource: changed behind Terraform's back, deleted, or in no state. */
export const DriftKind = z.enum(['changed', 'missing', 'unmanaged']);
export type DriftKind = z.infer<typeof DriftKind>;

/** Risk levels, most severe first (the engine ranks by this order). */
export const Severity = z.enum(['critical', 'high', 'medium', 'low']);
export type Severity = z.infer<typeof Severity>;

/** `smart` drops noise, `full` keeps it labelled, `incremental` skips resources unchanged since the last run. */
export const AnalysisMode = z.enum(['full', 'incremental', 'smart']);
export type AnalysisMode = z.infer<typeof AnalysisMode>;

/** Renderings of a drift report; `codify` writes Terraform import blocks for unmanaged resources. */
export const ReportFormat = z.enum(['json', 'markdown', 'sarif', 'html', 'codify']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** One attribute difference; values are canonical (normalised) and never sensitive in clear. */
export const AttributeChange = z.object({
  path: z.string(),
  expected: z.unknown(),
  actual: z.unknown(),
  /** Set when the difference is noise (full mode only shows these); names the catalog rule. */
  noise_rule: z.string().optional(),
});
export type AttributeChange = z.infer<typeof AttributeChange>;

export const FiredRisk = z.object({
  id: z.string(),
  title: z.string(),
  severity: Severity,
  score: z.number(),
  /** The attribute that made the rule fire, when it is about one. */
  path: z.string().optional(),
});
export type FiredRisk = z.infer<typeof FiredRisk>;

export const CostImpact = z.object({
  /** Estimated change of the monthly bill in USD (negative: cheaper). */
  monthly_usd: z.number(),
  basis: z.string(),
  estimate: z.literal(true),
});
export type CostImpact = z.infer<typeof CostImpact>;

/** Where an item stands across analyses of its account: first seen in this job, seen before, or gone now. */
export const DriftStatus = z.enum(['new', 'ongoing', 'resolved']);
export type DriftStatus = z.infer<typeof DriftStatus>;

/** Someone acknowledged the item: silenced until its changes differ or `until` passes. */
export const DriftAcknowledgement = z.object({
  reason: z.string(),
  until: z.string().nullable(),
  /** When it was acknowledged. */
  at: z.string(),
});
export type DriftAcknowledgement = z.infer<typeof DriftAcknowledgement>;

export const DriftItem = z.object({
  kind: DriftKind,
  /** Terraform address (`module.a.aws_instance.web[0]`); for unmanaged, the address codify would use. */
  address: z.string(),
  state_source: z.string().optional(),
  tf_type: z.string(),
  cloud_type: z.string(),
  provider: Provider,
  account: z.string().optional(),
  region: z.string().optional(),
  id: z.string(),
  /** resourceKey() of the discovered resource (changed and unmanaged). */
  resource_key: z.string().optional(),
  tainted: z.boolean().optional(),
  changes: z.array(AttributeChange),
  severity: Severity,
  score: z.number(),
  rules: z.array(FiredRisk),
  cost: CostImpact.nullable(),
  /** When and in which job this drift was first seen in its account (set once an analysis of the account saved it). */
  first_seen_at: z.string().optional(),
  first_seen_job: z.string().optional(),
  status: DriftStatus.optional(),
  acknowledged: DriftAcknowledgement.optional(),
});
export type DriftItem = z.infer<typeof DriftItem>;

export const DuplicateFinding = z.object({
  tf_type: z.string(),
  id: z.string(),
  /** Every place the resource is managed; the first one is the one analysed. */
  addresses: z.array(z.object({ source: z.string(), address: z.string() })),
});
export type DuplicateFinding = z.infer<typeof DuplicateFinding>;

const count = z.number().int();

export const DriftSummary = z.object({
  mode: AnalysisMode,
  state_resources: count,
  discovered_resources: count,
  managed: count,
  in_sync: count,
  changed: count,
  missing: count,
  unmanaged: count,
  /** managed / (managed + unmanaged + missing); 1 when there is nothing at all. */
  coverage: z.number(),
  /** Noise differences dropped by the smart filter (or labelled, in full mode). */
  noise_filtered: count,
  ignored: count,
  default_resources_skipped: count,
  implicitly_managed: count,
  /** State resources outside the scopes discovery fully covered: neither missing nor in sync. */
  not_covered: count,
  /** Incremental mode: resources whose fingerprint did not change. */
  unchanged_skipped: count,
  deposed: count,
  tainted: count,
  data_sources_skipped: count,
  unsupported_types: z.record(z.string(), count),
  duplicates: count,
  by_severity: z.record(Severity, count),
  /** Items first seen in this job and not acknowledged; 0 in summaries stored before drift had a lifecycle. */
  new: count.default(0),
  /** Items the previous analyses of the covered scopes reported that this job found gone. */
  resolved: count.default(0),
  /** Items reported but acknowledged (silenced). */
  acknowledged: count.default(0),
  cost: z.object({
    monthly_delta_usd: z.number(),
    currency: z.literal('USD'),
    source: z.string(),
    as_of: z.string(),
    estimate: z.literal(true),
  }),
});
export type DriftSummary = z.infer<typeof DriftSummary>;

export const DriftReport = z.object({
  summary: DriftSummary,
  items: z.array(DriftItem),
  duplicates: z.array(DuplicateFinding),
  /** Content fingerprints by address / resource key, for the next incremental run. */
  fingerprints: z.record(z.string(), z.string()).optional(),
});
export type DriftReport = z.infer<typeof DriftReport>;

/** `POST /api/v1/drift/ack`: silence an open drift item until its changes differ or `until` passes. */
export const DriftAckRequest = z.object({
  /** The item's resource_key, or its address for a missing resource. */
  resource_key: z.string().min(1).max(4096),
  reason: z.string().min(1).max(500),
  until: z.iso
    .datetime({ offset: true })
    .refine((until) => Date.parse(until) > Date.now(), 'must be in the future')
    .optional(),
});
export type DriftAckRequest = z.infer<typeof DriftAckRequest>;

export const DriftAck = DriftAcknowledgement.extend({ resource_key: z.string() });
export type DriftAck = z.infer<typeof DriftAck>;

/** An item of `GET /api/v1/drift`: with `fix=true`, the Terraform that fixes it. */
export const DriftPageItem = DriftItem.extend({
  fix: z
    .string()
    .optional()
    .describe(
      "With fix=true: Terraform to fix the item. changed: the resource block set to the cloud's values, or apply -target to restore the state's; missing: apply -target to recreate it, or a removed block (Terraform >= 1.7) to forget it; unmanaged: its codify import block",
    ),
});
export type DriftPageItem = z.infer<typeof DriftPageItem>;

/** One page of `GET /api/v1/drift`. */
export const DriftPage = z.object({
  job_id: z.string(),
  summary: DriftSummary,
  items: z.array(DriftPageItem),
  next_cursor: z.string().nullable(),
});
export type DriftPage = z.infer<typeof DriftPage>;
