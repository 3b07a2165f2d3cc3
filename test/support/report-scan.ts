/**
 * Readers of rendered reports as their consumers read them (a browser, a Markdown renderer,
 * Terraform, a SARIF viewer), reduced to what decides whether a value came out live: which
 * tags exist, where code spans and table cells end, what a string literal decodes to.
 */

/** Names of every tag in an HTML document (`!doctype` included), lower-cased. */
export function htmlTagNames(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z!][^\s>/]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Every attribute name=value pair inside the tags of an HTML document. */
export function htmlAttributes(html: string): { name: string; value: string }[] {
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  return tags.flatMap((tag) =>
    [...tag.matchAll(/\s([a-zA-Z-]+)(?:="([^"]*)")?/g)].map((m) => ({ name: m[1]!.toLowerCase(), value: m[2] ?? '' })),
  );
}

/**
 * A Markdown line with its code spans cut out, as CommonMark finds them: a run of n backticks
 * opens a span that the next run of exactly n backticks closes. Backslash escapes outside spans
 * are kept as they are.
 */
export function outsideCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\' && i + 1 < line.length) {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    const run = /^`+/.exec(line.slice(i))![0];
    const close = findRun(line, i + run.length, run.length);
    if (close < 0) {
      out += run;
      i += run.length;
    } else {
      out += '\u0000';
      i = close + run.length;
    }
  }
  return out;
}

function findRun(line: string, from: number, length: number): number {
  for (const m of line.slice(from).matchAll(/`+/g)) if (m[0].length === length) return from + m.index;
  return -1;
}

/** Characters of a Markdown line that are neither backslash-escaped nor a backslash escaping one. */
export function unescapedChars(line: string, chars: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (chars.includes(line[i]!)) found.push(line[i]!);
  }
  return found;
}

/** The pipes a GFM table splits a row at: those not preceded by a backslash. */
export function cellSeparators(row: string): number {
  let count = 0;
  for (let i = 0; i < row.length; i++) if (row[i] === '|' && row[i - 1] !== '\\') count++;
  return count;
}

export interface HclScan {
  /** Every quoted string literal, decoded as Terraform reads it. */
  strings: string[];
  /** Template sequences (`${`, `%{`) Terraform would evaluate, inside strings or out. */
  liveTemplates: string[];
  /** The text outside string literals. */
  bare: string;
}

const HCL_SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Reads an HCL file's string literals the way Terraform's scanner does (hclsyntax scan_tokens). */
export function scanHcl(hcl: string): HclScan {
  const scan: HclScan = { strings: [], liveTemplates: [], bare: '' };
  let i = 0;
  while (i < hcl.length) {
    if (hcl[i] !== '"') {
      if ((hcl[i] === '$' || hcl[i] === '%') && hcl[i + 1] === '{') scan.liveTemplates.push(hcl.slice(i, i + 2));
      scan.bare += hcl[i++];
      continue;
    }
    let value = '';
    for (i++; i < hcl.length && hcl[i] !== '"'; ) {
      const c = hcl[i]!;
      const next = hcl[i + 1];
      if (c === '\\' && next === 'u') {
        value += String.fromCharCode(Number.parseInt(hcl.slice(i + 2, i + 6), 16));
        i += 6;
      } else if (c === '\\') {
        value += HCL_SIMPLE_ESCAPES[next!] ?? `\\${next}`;
        i += 2;
      } else if ((c === '$' || c === '%') && next === c && hcl[i + 2] === '{') {
        value += `${c}{`;
        i += 3;
      } else if ((c === '$' || c === '%') && next === '{') {
        scan.liveTemplates.push(`${c}{`);
        value += `${c}{`;
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    i++;
    scan.strings.push(value);
  }
  return scan;
}
