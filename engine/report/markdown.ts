import type { DriftItem, DriftReport } from '../types.js';
import { formatUsd, formatValue } from './format-value.js';

/** Markdown sized for a pull-request comment: a summary table, then the top items in collapsible detail. */
const MAX_ITEMS = 50;
const MAX_CELL = 160;

function cell(text: string): string {
  const flat = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

const KIND_LABEL = { changed: '✏️ changed', missing: '🗑️ missing', unmanaged: '➕ unmanaged' } as const;

function itemDetail(item: DriftItem): string {
  const rows = item.changes.map((c) => `| \`${cell(c.path)}\` | ${cell(formatValue(c.expected))} | ${cell(formatValue(c.actual))} | ${c.noise_rule ? `noise: ${c.noise_rule}` : ''} |`);
  const rules = item.rules.map((r) => `${r.id} (${r.severity}, ${r.score})`).join(', ');
  const cost = item.cost ? `\n\nEstimated cost impact: ${formatUsd(item.cost.monthly_usd)}/month (${item.cost.basis}).` : '';
  const table = rows.length ? `\n\n| attribute | expected (state) | actual (cloud) | note |\n|---|---|---|---|\n${rows.join('\n')}` : '';
  return `<details><summary><code>${item.address}</code> — ${KIND_LABEL[item.kind]}, ${item.severity} (${item.score})</summary>\n\nId: \`${item.id}\`${item.account ? ` · account ${item.account}` : ''}${item.region ? ` · ${item.region}` : ''}\n\nRules: ${rules || 'none'}${table}${cost}\n\n</details>`;
}

export function renderMarkdown(report: DriftReport): string {
  const s = report.summary;
  const lines = [
    `## DriftMgr drift report`,
    '',
    s.changed + s.missing + s.unmanaged === 0 ? '✅ **No drift**: the cloud matches Terraform state.' : `⚠️ **Drift found**: ${s.changed} changed, ${s.missing} missing, ${s.unmanaged} unmanaged.`,
    '',
    '| managed | in sync | changed | missing | unmanaged | coverage | noise filtered | critical | high | est. monthly cost Δ |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.managed} | ${s.in_sync} | ${s.changed} | ${s.missing} | ${s.unmanaged} | ${(s.coverage * 100).toFixed(1)}% | ${s.noise_filtered} | ${s.by_severity.critical} | ${s.by_severity.high} | ${formatUsd(s.cost.monthly_delta_usd)} |`,
    '',
  ];
  const shown = report.items.slice(0, MAX_ITEMS);
  for (const item of shown) lines.push(itemDetail(item), '');
  if (report.items.length > shown.length) lines.push(`…and ${report.items.length - shown.length} more items (see the JSON or HTML report).`, '');
  if (report.duplicates.length) lines.push(`Resources managed by more than one state: ${report.duplicates.map((d) => `\`${d.id}\` (${d.addresses.map((a) => `${a.source}:${a.address}`).join(', ')})`).join('; ')}`, '');
  lines.push(`<sub>Costs are estimates from list prices (${s.cost.as_of}). Mode: ${s.mode}.</sub>`);
  return `${lines.join('\n')}\n`;
}
