import type { DiscoveredResource } from '../../contract/resource.js';
import type { DriftReport, ReportFormat } from '../types.js';
import { renderCodify } from './codify.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  markdown: 'text/markdown; charset=utf-8',
  sarif: 'application/sarif+json',
  html: 'text/html; charset=utf-8',
  codify: 'text/plain; charset=utf-8',
};

/** Renders a report; `codify` needs the inventory the unmanaged items came from. */
export function renderReport(
  report: DriftReport,
  format: ReportFormat,
  inventory: readonly DiscoveredResource[] = [],
): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'sarif':
      return renderSarif(report);
    case 'html':
      return renderHtml(report);
    case 'codify':
      return renderCodify(report, inventory);
  }
}

export { HTML_REPORT_CSP } from './html.js';
export { renderCodify, renderHtml, renderJson, renderMarkdown, renderSarif };
