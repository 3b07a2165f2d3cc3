import type { DriftKind, Severity } from '../types.js';

/** What a risk rule tests an attribute's expected (state) → actual (cloud) values for. */
export type RiskTest =
  | 'any'
  /** The actual value lets in traffic from anywhere (0.0.0.0/0, ::/0, *, Internet) that expected did not. */
  | 'opens-world'
  | 'turned-off'
  | 'turned-on'
  | 'added'
  | 'removed'
  /** The actual policy has an allowing statement over every action and resource that expected did not. */
  | 'grants-admin'
  | { left: unknown }
  /** The actual value is this one and expected was not (the mirror of `left`). */
  | { right: unknown }
  /** The actual list holds an element matching this that expected did not (an IAM `role member` pair). */
  | { grants: RegExp };

export interface RiskRule {
  id: string;
  title: string;
  severity: Severity;
  score: number;
  kinds: DriftKind[];
  /** Terraform type (or `*`) → attribute paths the rule watches; absent means the whole resource. */
  targets?: Record<string, string[]>;
  test: RiskTest;
  /**
   * Fires only when the item's value at `path` (the cloud's, else the state's) matches
   * `pattern` too: a role assignment's role counts on a whole subscription, not on one group.
   */
  where?: { path: string; pattern: RegExp };
  /** Fires only when no other rule did (the catch-all). */
  fallback?: boolean;
}
