/**
 * Escaping for each report format. Every value a report shows comes from a Terraform state, the
 * cloud or storage, and anyone who can tag a resource chooses it: it is always data, never
 * markup, template or link syntax in the format it lands in.
 */

/** Line breaks of every kind: one value stays on one line of a table, a comment or a message. */
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
/** Other control characters, and bidirectional overrides that could make text read otherwise. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** A value as one line of plain, well-formed text: breaks shown as ↵, controls as �. */
export function plainLine(text: string): string {
  return text.toWellFormed().replace(LINE_BREAKS, '↵').replace(INVISIBLE, '\uFFFD');
}

/** A number as text, or `?` when storage held something else. */
export function plainNumber(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '?';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Markdown prose: every ASCII punctuation character backslash-escaped, so none starts markup. */
export function markdownText(text: string): string {
  return plainLine(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * A Markdown code span: what is inside is shown as typed, HTML included. The fence is one
 * backtick longer than any run inside; a space pads content that starts or ends with a backtick
 * or with spaces at both ends, as CommonMark strips one such space from each side.
 */
export function markdownCode(text: string): string {
  const flat = plainLine(text);
  if (flat === '') return '';
  const fence = '`'.repeat(longestBacktickRun(flat) + 1);
  const spacedBothEnds = flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '';
  const pad = flat.startsWith('`') || flat.endsWith('`') || spacedBothEnds ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A code span inside a GFM table cell: pipes are escaped too, since tables split rows on every
 * `|` not preceded by a backslash, code spans included.
 */
export function markdownCell(text: string, maxLength: number): string {
  const chars = [...text];
  const short = chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : text;
  return markdownCode(short).replace(/\|/g, '\\|');
}

/**
 * SARIF plain-text messages: `[text](target)` is an embedded link there, so brackets, and the
 * backslash that escapes them, are escaped (SARIF 2.1.0 §3.11.6).
 */
export function sarifText(text: string): string {
  return plainLine(text).replace(/[\\[\]]/g, '\\$&');
}

/**
 * A state file name as a relative URI reference: each path segment percent-encoded, so no
 * scheme (`javascript:`), authority or `..` can come out of it.
 */
export function relativeUri(path: string, fallback: string): string {
  const segments = path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.' && s !== '..');
  return segments.length > 0 ? segments.map((s) => encodeURIComponent(s.toWellFormed())).join('/') : fallback;
}

/**
 * Indented JSON with `<`, `>`, `&` and the Unicode line separators written as \u escapes: the
 * same JSON value, but text no browser sniffs as HTML and any page can embed as it is.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const HCL_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * An HCL quoted string that Terraform reads as exactly this text: quotes, backslashes and
 * control characters escaped, and the template introducers `${` and `%{` doubled to `$${` and
 * `%%{`, so a cloud value like `${var.db_password}` is never evaluated.
 */
export function hclString(text: string): string {
  const escaped = text
    .toWellFormed()
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what HCL strings must escape
      /[\\"\u0000-\u001f\u007f\u2028\u2029]/g,
      (c) => HCL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .replace(/([$%])\{/g, '$1$1{');
  return `"${escaped}"`;
}
