import type { DriftItem, DriftReport } from '../types.js';
import { escapeHtml, plainNumber } from './escape.js';
import { formatUsd, formatValue } from './format-value.js';

/**
 * A self-contained HTML page: inline CSS, no scripts, no external URLs, every value escaped.
 * The page carries its own Content-Security-Policy, so a saved copy opened from disk cannot run
 * or fetch anything either; the gateway sends the same policy as a header.
 */
export const HTML_REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** Severities that have a style; anything else storage held gets none. */
// A Map, not an object: a hostile severity such as `toString` must not find an inherited member.
const SEVERITY_CLASS = new Map(['critical', 'high', 'medium', 'low'].map((s) => [s, s]));

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}h1{font-size:1.4rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.critical{color:#fff;background:#a40e26}.high{background:#ffb3b3}.medium{background:#ffe08a}.low{background:#ddf4ff}
.sev{padding:0 .4rem;border-radius:.3rem;font-weight:600}code{font-size:.9em;word-break:break-all}.noise{color:#57606a}small{color:#57606a}`;

function changesTable(item: DriftItem): string {
  if (item.changes.length === 0) return '';
  const rows = item.changes
    .map(
      (c) =>
        `<tr class="${c.noise_rule ? 'noise' : ''}"><td><code>${escapeHtml(c.path)}</code></td><td>${escapeHtml(formatValue(c.expected))}</td><td>${escapeHtml(formatValue(c.actual))}</td><td>${escapeHtml(c.noise_rule ? `noise: ${c.noise_rule}` : '')}</td></tr>`,
    )
    .join('');
  return `<table><tr><th>attribute</th><th>expected (state)</th><th>actual (cloud)</th><th>note</th></tr>${rows}</table>`;
}

function itemRow(item: DriftItem): string {
  const rules = item.rules.map((r) => escapeHtml(`${r.title} (${r.id})`)).join('<br>');
  const cost = item.cost
    ? `${escapeHtml(formatUsd(item.cost.monthly_usd))}/mo<br><small>${escapeHtml(item.cost.basis)}</small>`
    : '';
  const severity = `<span class="sev ${SEVERITY_CLASS.get(item.severity) ?? ''}">${escapeHtml(item.severity)}</span> ${plainNumber(item.score)}`;
  return `<tr><td>${severity}</td><td>${escapeHtml(item.kind)}</td><td><code>${escapeHtml(item.address)}</code><br><small>${escapeHtml(item.id)}</small>${changesTable(item)}</td><td>${rules}</td><td>${cost}</td></tr>`;
}

export function renderHtml(report: DriftReport, opts: { title?: string } = {}): string {
  const s = report.summary;
  const title = escapeHtml(opts.title ?? 'DriftMgr drift report');
  const summary = [
    ['managed', s.managed],
    ['in sync', s.in_sync],
    ['changed', s.changed],
    ['missing', s.missing],
    ['unmanaged', s.unmanaged],
    ['coverage', `${(s.coverage * 100).toFixed(1)}%`],
    ['noise filtered', s.noise_filtered],
    ['est. monthly cost Δ', formatUsd(s.cost.monthly_delta_usd)],
  ]
    .map(([k, v]) => `<tr><th>${escapeHtml(String(k))}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${HTML_REPORT_CSP}"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${CSS}</style></head><body>
<h1>${title}</h1><table>${summary}</table>
<table><tr><th>severity</th><th>kind</th><th>resource</th><th>rules</th><th>cost</th></tr>${report.items.map(itemRow).join('\n')}</table>
<small>Costs are estimates from list prices (${escapeHtml(s.cost.as_of)}): ${escapeHtml(s.cost.source)}. Mode: ${escapeHtml(s.mode)}.</small>
</body></html>
`;
}
