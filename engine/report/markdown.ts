import type { DriftItem, DriftReport } from '../types.js';
import { escapeHtml, markdownCell, markdownCode, markdownText, plainLine, plainNumber } from './escape.js';
import { formatUsd, formatValue } from './format-value.js';

/**
 * Markdown sized for a pull-request comment: a summary table, then the top items in collapsible
 * detail. Values from states and the cloud are code spans (escape.ts), never Markdown or HTML.
 */
const MAX_ITEMS = 50;
const MAX_CELL = 160;

const KIND_LABEL: Record<string, string> = { changed: '✏️ changed', missing: '🗑️ missing', unmanaged: '➕ unmanaged' };

/**
 * Text of the `<summary>` line, which sits in a raw HTML block: escaped as HTML on one line, and
 * the characters of Markdown links and code spans written as character references, in case a
 * renderer reads Markdown inside HTML after all.
 */
function summaryText(text: string): string {
  return escapeHtml(plainLine(text)).replace(/[[\]`\\]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function summaryLine(item: DriftItem): string {
  const kind = KIND_LABEL[item.kind] ?? summaryText(item.kind);
  return `<summary><code>${summaryText(item.address)}</code> — ${kind}, ${summaryText(item.severity)} (${plainNumber(item.score)})</summary>`;
}

function changesTable(item: DriftItem): string {
  if (item.changes.length === 0) return '';
  const rows = item.changes.map((c) => {
    const note = c.noise_rule ? `noise: ${markdownCell(c.noise_rule, MAX_CELL)}` : '';
    return `| ${markdownCell(c.path, MAX_CELL)} | ${markdownCell(formatValue(c.expected), MAX_CELL)} | ${markdownCell(formatValue(c.actual), MAX_CELL)} | ${note} |`;
  });
  return `\n\n| attribute | expected (state) | actual (cloud) | note |\n|---|---|---|---|\n${rows.join('\n')}`;
}

function itemDetail(item: DriftItem): string {
  const rules = item.rules
    .map((r) => `${markdownCode(r.id)} (${markdownText(r.severity)}, ${plainNumber(r.score)})`)
    .join(', ');
  const cost = item.cost
    ? `\n\nEstimated cost impact: ${formatUsd(item.cost.monthly_usd)}/month (${markdownText(item.cost.basis)}).`
    : '';
  const where = `${item.account ? ` · account ${markdownCode(item.account)}` : ''}${item.region ? ` · ${markdownCode(item.region)}` : ''}`;
  return `<details>${summaryLine(item)}\n\nId: ${markdownCode(item.id)}${where}\n\nRules: ${rules || 'none'}${changesTable(item)}${cost}\n\n</details>`;
}

function duplicatesLine(report: DriftReport): string {
  const listed = report.duplicates.map(
    (d) => `${markdownCode(d.id)} (${d.addresses.map((a) => markdownCode(`${a.source}:${a.address}`)).join(', ')})`,
  );
  return `Resources managed by more than one state: ${listed.join('; ')}`;
}

export function renderMarkdown(report: DriftReport): string {
  const s = report.summary;
  const n = plainNumber;
  const lines = [
    `## DriftMgr drift report`,
    '',
    s.changed + s.missing + s.unmanaged === 0
      ? '✅ **No drift**: the cloud matches Terraform state.'
      : `⚠️ **Drift found**: ${n(s.changed)} changed, ${n(s.missing)} missing, ${n(s.unmanaged)} unmanaged.`,
    '',
    '| managed | in sync | changed | missing | unmanaged | coverage | noise filtered | critical | high | est. monthly cost Δ |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${n(s.managed)} | ${n(s.in_sync)} | ${n(s.changed)} | ${n(s.missing)} | ${n(s.unmanaged)} | ${(s.coverage * 100).toFixed(1)}% | ${n(s.noise_filtered)} | ${n(s.by_severity.critical)} | ${n(s.by_severity.high)} | ${formatUsd(s.cost.monthly_delta_usd)} |`,
    '',
  ];
  const shown = report.items.slice(0, MAX_ITEMS);
  for (const item of shown) lines.push(itemDetail(item), '');
  if (report.items.length > shown.length)
    lines.push(`…and ${report.items.length - shown.length} more items (see the JSON or HTML report).`, '');
  if (report.duplicates.length) lines.push(duplicatesLine(report), '');
  lines.push(
    `<sub>Costs are estimates from list prices (${markdownText(s.cost.as_of)}). Mode: ${markdownText(s.mode)}.</sub>`,
  );
  return `${lines.join('\n')}\n`;
}
