import { formatValue, renderTable, truncate } from './output.js';

/** What the drift table shows of an item, from the gateway's page or an offline report. */
export interface DriftRow {
  kind: string;
  severity: string;
  score: number;
  address: string;
  id: string;
  changes: { path: string; expected: unknown; actual: unknown }[];
}

const CHANGES_SHOWN = 2;

/** `path: expected → actual` for the first few changes; the JSON output has them all. */
function describeChanges(changes: DriftRow['changes']): string {
  if (changes.length === 0) return '-';
  const shown = changes
    .slice(0, CHANGES_SHOWN)
    .map((c) => `${c.path}: ${formatValue(c.expected, 24)} → ${formatValue(c.actual, 24)}`);
  const more = changes.length > CHANGES_SHOWN ? ` (+${changes.length - CHANGES_SHOWN} more)` : '';
  return `${shown.join('; ')}${more}`;
}

export function renderDriftTable(items: readonly DriftRow[]): string {
  return renderTable(
    ['KIND', 'SEVERITY', 'SCORE', 'ADDRESS', 'ID', 'CHANGES'],
    items.map((i) => [
      i.kind,
      i.severity,
      i.score,
      truncate(i.address, 60),
      truncate(i.id, 60),
      describeChanges(i.changes),
    ]),
  );
}
