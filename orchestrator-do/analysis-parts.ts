import { z } from 'zod';
import { DriftSummary, DuplicateFinding } from '../contract/drift.js';
import type { JobSpec } from '../contract/job.js';
import { type CoverageScope, mergeSummaries } from '../engine/index.js';
import { DRIFT_PART_SPAN, type SlotRange } from '../storage/store.js';
import { decodeRows, jsonColumn } from './sql-rows.js';

/** How long one part's analysis may take before its message is sent again (analysis is idempotent). */
export const ANALYSIS_RESEND_MS = 15 * 60 * 1000;
/** Sends of one part's message without a result after which the analysis is given up. */
export const MAX_ANALYSIS_SENDS = 3;

/**
 * The steps of one account's analysis: its plan reads the account once and cuts it into data
 * parts (ranges of slots, engine/partition.ts), each analysed on its own; once they are all in,
 * its close finishes the account (resolves the drift none of them saw).
 */
export const AnalysisStage = z.enum(['plan', 'data', 'close']);
export type AnalysisStage = z.infer<typeof AnalysisStage>;

/** What every data part of an account needs of the whole account, as its plan found it. */
export const AccountContext = z.object({
  default_vpc_ids: z.array(z.string()),
  provider_scopes: z.record(z.string(), z.object({ account: z.string().optional(), region: z.string().optional() })),
});
export type AccountContext = z.infer<typeof AccountContext>;

/** An account's plan: data parts covering every slot, in slot order, and the account's context. */
export interface AnalysisPlan {
  ranges: SlotRange[];
  context: AccountContext;
}

/** A row of `analysis_parts`, decoded here and nowhere else. */
const PartRow = z.object({
  id: z.number().int(),
  account: z.string(),
  stage: AnalysisStage,
  /** A data part's drift items take seq numbers from part × DRIFT_PART_SPAN. */
  part: z.number().int().nullable(),
  slot_from: z.number().int(),
  slot_to: z.number().int(),
  context: jsonColumn(AccountContext).nullable(),
  sent_at: z.number(),
  /** How many times the part's message was sent. */
  sends: z.number().int(),
  done: z.number().int(),
  summary: jsonColumn(DriftSummary).nullable(),
  duplicates: jsonColumn(z.array(DuplicateFinding)).nullable(),
});

/** One part as the analyzer asks for it. */
export interface AnalysisPart {
  id: number;
  account: string;
  stage: AnalysisStage;
  done: boolean;
  slots: SlotRange;
  /** A data part's first drift item seq. */
  firstSeq: number | null;
}

/** What the analyzer is told for one part. */
export interface AnalysisInput {
  spec: JobSpec;
  /** When the job started: its sightings are no older. */
  started_at: string;
  /** What the job fully covered in the part's account. */
  scopes: CoverageScope[];
  part: AnalysisPart;
  /** The account's context from its plan; null for a part of a release before plans, which holds the whole account. */
  context: AccountContext | null;
}

/** A part not done whose message may go out: a close only once its account's data parts are all done. */
const READY = `done = 0 AND (stage <> 'close' OR NOT EXISTS (
  SELECT 1 FROM analysis_parts d WHERE d.account = analysis_parts.account AND d.stage = 'data' AND d.done = 0))`;

/**
 * A finished discovery is analysed in parts, so no queue consumer run holds more than a bounded
 * slice of an account, whatever its size. The `analysis_parts` table tracks the parts of the job
 * coordinator's one job: when each was last sent, and its result once it came back. The job is
 * analysed once every part of every account is done, and not before.
 */
export class AnalysisParts {
  constructor(private readonly sql: SqlStorage) {}

  /** A plan part per account not planned yet. */
  plan(accounts: readonly string[]): void {
    for (const account of [...accounts].sort()) {
      this.sql.exec(
        `INSERT INTO analysis_parts (account, stage) SELECT ?, 'plan'
         WHERE NOT EXISTS (SELECT 1 FROM analysis_parts WHERE account = ?)`,
        account,
        account,
      );
    }
  }

  /** A part by id; without one (a message of a release before parts), the account's first. */
  find(account: string, id: number | undefined): AnalysisPart | undefined {
    const rows =
      id === undefined
        ? this.sql.exec(`SELECT * FROM analysis_parts WHERE account = ? ORDER BY id LIMIT 1`, account)
        : this.sql.exec(`SELECT * FROM analysis_parts WHERE id = ? AND account = ?`, id, account);
    const row = decodeRows(rows, PartRow)[0];
    return row && partOf(row);
  }

  /** The account's context from its plan; null for an account planned before plans existed. */
  context(account: string): AccountContext | null {
    const rows = this.sql.exec(`SELECT * FROM analysis_parts WHERE account = ? AND stage = 'plan'`, account);
    return decodeRows(rows, PartRow)[0]?.context ?? null;
  }

  /**
   * Records an account's plan once: its data parts, numbered after every data part so far (the
   * number places their drift items), and its close; returns their ids in that order. `sentAt`:
   * the caller runs them itself, so they count as sent then. A plan recorded again adds nothing.
   */
  recordPlan(planId: number, plan: AnalysisPlan, sentAt: number | null = null): number[] {
    const row = decodeRows(this.sql.exec(`SELECT * FROM analysis_parts WHERE id = ?`, planId), PartRow)[0];
    if (row?.stage !== 'plan' || row.done) return [];
    const next = this.sql
      .exec<{ n: number }>(`SELECT COALESCE(MAX(part) + 1, 0) AS n FROM analysis_parts WHERE stage = 'data'`)
      .one().n;
    const add = (stage: AnalysisStage, part: number | null, slots: SlotRange) =>
      this.sql
        .exec<{ id: number }>(
          `INSERT INTO analysis_parts (account, stage, part, slot_from, slot_to, sent_at, sends)
           VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          row.account,
          stage,
          part,
          slots.from,
          slots.to,
          sentAt ?? 0,
          sentAt === null ? 0 : 1,
        )
        .one().id;
    const ids = plan.ranges.map((r, i) => add('data', next + i, r));
    ids.push(add('close', null, { from: row.slot_from, to: row.slot_to }));
    this.sql.exec(`UPDATE analysis_parts SET done = 1, context = ? WHERE id = ?`, JSON.stringify(plan.context), planId);
    return ids;
  }

  /** Parts not done yet. */
  outstanding(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM analysis_parts WHERE done = 0`).one().n;
  }

  /** Ready parts whose message was never sent, or was sent too long ago and may be sent again. */
  due(now: number): { id: number; account: string }[] {
    const rows = this.sql.exec(
      `SELECT * FROM analysis_parts WHERE ${READY} AND (sent_at = 0 OR (sent_at <= ? AND sends < ?)) ORDER BY id`,
      now - ANALYSIS_RESEND_MS,
      MAX_ANALYSIS_SENDS,
    );
    return decodeRows(rows, PartRow).map((r) => ({ id: r.id, account: r.account }));
  }

  /** An account with a part sent as often as allowed, the last time too long ago, that never came back. */
  givenUp(now: number): string | undefined {
    const rows = this.sql.exec(
      `SELECT * FROM analysis_parts WHERE done = 0 AND sends >= ? AND sent_at <= ? ORDER BY id LIMIT 1`,
      MAX_ANALYSIS_SENDS,
      now - ANALYSIS_RESEND_MS,
    );
    return decodeRows(rows, PartRow)[0]?.account;
  }

  markSent(ids: readonly number[], now: number): void {
    for (const id of ids)
      this.sql.exec(`UPDATE analysis_parts SET sent_at = ?, sends = sends + 1 WHERE id = ?`, now, id);
  }

  /** When the next ready part is due to be sent (again) or given up, if any is still out; never in the past. */
  nextWakeAt(now: number): number | null {
    const t = this.sql
      .exec<{ t: number | null }>(`SELECT MIN(sent_at) AS t FROM analysis_parts WHERE ${READY}`)
      .one().t;
    return t === null ? null : t === 0 ? now : Math.max(now, t + ANALYSIS_RESEND_MS);
  }

  /** A part's result; recorded once, so a result sent again is not counted twice. */
  record(id: number, summary: DriftSummary, duplicates: DuplicateFinding[]): void {
    this.sql.exec(
      `UPDATE analysis_parts SET done = 1, summary = ?, duplicates = ? WHERE id = ? AND done = 0`,
      JSON.stringify(summary),
      JSON.stringify(duplicates),
      id,
    );
  }

  /** The whole job's result once every part of every account is done. */
  merged(): { summary: DriftSummary; duplicates: DuplicateFinding[] } | null {
    if (this.outstanding() > 0) return null;
    const rows = decodeRows(
      this.sql.exec(`SELECT * FROM analysis_parts WHERE summary IS NOT NULL ORDER BY id`),
      PartRow,
    );
    if (rows.length === 0) return null;
    return {
      summary: mergeSummaries(rows.map((r) => r.summary!)),
      duplicates: rows.flatMap((r) => r.duplicates ?? []),
    };
  }
}

function partOf(row: z.output<typeof PartRow>): AnalysisPart {
  return {
    id: row.id,
    account: row.account,
    stage: row.stage,
    done: row.done === 1,
    slots: { from: row.slot_from, to: row.slot_to },
    firstSeq: row.part === null ? null : row.part * DRIFT_PART_SPAN,
  };
}
