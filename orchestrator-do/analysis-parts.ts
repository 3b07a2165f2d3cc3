import { z } from 'zod';
import { DriftSummary, DuplicateFinding } from '../contract/drift.js';
import { mergeSummaries } from '../engine/index.js';
import { DRIFT_PART_SPAN } from '../storage/store.js';
import { decodeRows, jsonColumn } from './sql-rows.js';

/** How long one part's analysis may take before its message is sent again (analysis is idempotent). */
export const ANALYSIS_RESEND_MS = 15 * 60 * 1000;
/** Sends of one part's message without a result after which the analysis is given up. */
export const MAX_ANALYSIS_SENDS = 3;

/** A row of `analysis_parts`, decoded here and nowhere else. */
const PartRow = z.object({
  account: z.string(),
  part: z.number().int(),
  sent_at: z.number(),
  /** How many times the part's message was sent. */
  sends: z.number().int(),
  summary: jsonColumn(DriftSummary).nullable(),
  duplicates: jsonColumn(z.array(DuplicateFinding)).nullable(),
});

/**
 * A finished discovery is analysed in parts, one per account, so each queue consumer run holds
 * only one account's states and inventory in memory. The `analysis_parts` table tracks the parts
 * of the job coordinator's one job: when each was last sent, and its result once it came back.
 */
export class AnalysisParts {
  constructor(private readonly sql: SqlStorage) {}

  /** One part per account, numbered in account order (the part number places its drift items). */
  plan(accounts: readonly string[]): void {
    [...accounts].sort().forEach((account, part) => {
      this.sql.exec(`INSERT OR IGNORE INTO analysis_parts (account, part) VALUES (?, ?)`, account, part);
    });
  }

  /** The first drift item seq of an account's part, or undefined for an account not in the job. */
  firstSeq(account: string): number | undefined {
    const row = decodeRows(
      this.sql.exec(`SELECT part FROM analysis_parts WHERE account = ?`, account),
      PartRow.pick({ part: true }),
    )[0];
    return row === undefined ? undefined : row.part * DRIFT_PART_SPAN;
  }

  /** Parts without a result yet. */
  outstanding(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM analysis_parts WHERE summary IS NULL`).one().n;
  }

  /** Whether the account's part has its result. */
  recorded(account: string): boolean {
    const rows = this.sql.exec(`SELECT account FROM analysis_parts WHERE account = ? AND summary IS NOT NULL`, account);
    return decodeRows(rows, PartRow.pick({ account: true })).length > 0;
  }

  /** Parts without a result whose message was never sent, or was sent too long ago and may be sent again. */
  due(now: number): string[] {
    const due = this.sql.exec(
      `SELECT account FROM analysis_parts WHERE summary IS NULL AND (sent_at = 0 OR (sent_at <= ? AND sends < ?))`,
      now - ANALYSIS_RESEND_MS,
      MAX_ANALYSIS_SENDS,
    );
    return decodeRows(due, PartRow.pick({ account: true })).map((r) => r.account);
  }

  /** An account whose part was sent as often as allowed, the last time too long ago, and never came back. */
  givenUp(now: number): string | undefined {
    const rows = this.sql.exec(
      `SELECT account FROM analysis_parts WHERE summary IS NULL AND sends >= ? AND sent_at <= ? ORDER BY part LIMIT 1`,
      MAX_ANALYSIS_SENDS,
      now - ANALYSIS_RESEND_MS,
    );
    return decodeRows(rows, PartRow.pick({ account: true }))[0]?.account;
  }

  markSent(accounts: readonly string[], now: number): void {
    for (const account of accounts)
      this.sql.exec(`UPDATE analysis_parts SET sent_at = ?, sends = sends + 1 WHERE account = ?`, now, account);
  }

  /** When the next part is due to be sent (again) or given up, if any part is still out; never in the past. */
  nextWakeAt(now: number): number | null {
    const t = this.sql
      .exec<{ t: number | null }>(`SELECT MIN(sent_at) AS t FROM analysis_parts WHERE summary IS NULL`)
      .one().t;
    return t === null ? null : t === 0 ? now : Math.max(now, t + ANALYSIS_RESEND_MS);
  }

  record(account: string, summary: DriftSummary, duplicates: DuplicateFinding[]): void {
    this.sql.exec(
      `UPDATE analysis_parts SET summary = ?, duplicates = ? WHERE account = ?`,
      JSON.stringify(summary),
      JSON.stringify(duplicates),
      account,
    );
  }

  /** The whole job's result once every part has come back. */
  merged(): { summary: DriftSummary; duplicates: DuplicateFinding[] } | null {
    const rows = decodeRows(this.sql.exec(`SELECT * FROM analysis_parts ORDER BY part`), PartRow);
    const done = rows.flatMap((r) =>
      r.summary === null ? [] : [{ summary: r.summary, duplicates: r.duplicates ?? [] }],
    );
    if (rows.length === 0 || done.length < rows.length) return null;
    return { summary: mergeSummaries(done.map((d) => d.summary)), duplicates: done.flatMap((d) => d.duplicates) };
  }
}
