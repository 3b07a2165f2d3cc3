import type { ReportFormat } from '../contract/drift.js';
import { HTML_REPORT_CSP, REPORT_CONTENT_TYPES } from '../engine/index.js';

const EXTENSION: Record<ReportFormat, string> = {
  json: 'json',
  markdown: 'md',
  sarif: 'sarif',
  html: 'html',
  codify: 'tf',
};

/**
 * Response headers of a rendered report. Whatever a report holds, a browser must not run it:
 * the HTML report's own policy plus `sandbox` (no scripts, no forms, an origin of its own, so
 * nothing in it could reach the dashboard's token), no sniffing another type out of the text,
 * and the HTML page downloaded rather than shown unless `inline` asks for it.
 */
export function reportHeaders(format: ReportFormat, jobId: string, inline: boolean): Record<string, string> {
  const disposition = format === 'html' && !inline ? 'attachment' : 'inline';
  const filename = `drift-${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}.${EXTENSION[format]}`;
  return {
    'content-type': REPORT_CONTENT_TYPES[format],
    'content-disposition': `${disposition}; filename="${filename}"`,
    'content-security-policy': `${HTML_REPORT_CSP}; frame-ancestors 'none'; sandbox`,
    'x-content-type-options': 'nosniff',
  };
}
