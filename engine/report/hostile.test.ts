import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import {
  cellSeparators,
  htmlAttributes,
  htmlTagNames,
  outsideCodeSpans,
  scanHcl,
  unescapedChars,
} from '../../test/support/report-scan.js';
import { analyze } from '../analyze.js';
import type { DriftItem, DriftReport, Severity } from '../types.js';
import { renderReport } from './index.js';

/** Values anyone who can tag a cloud resource or write a state could choose. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  '${var.db_password}',
  '%{ if true }yes%{ endif }',
  '$${already} %%{doubled}',
  '`code` ``two`` ```three',
  '| a | b |',
  'line one\nline two\r\n\n<details>',
  'line\u2028separator\u2029paragraph\u0085next',
  '[click](https://evil.example)',
  '\\|`<b>bold</b>`\\',
  '\u202eevil\u2066',
  '&lt;script&gt; &amp;',
  '</code></summary></details><img src=x onerror=alert(1)>',
];

/** Any code points, and strings made of the characters markup is made of. */
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const markupText = fc.string({
  unit: fc.constantFrom(...Array.from('<>[]!`|\\\n\r$%{}"\'&#;:/ -_*a\u2028')),
  maxLength: 20,
});

function hostileItem(text: string, i: number): DriftItem {
  return {
    kind: (['changed', 'missing', 'unmanaged'] as const)[i % 3]!,
    address: text,
    state_source: text,
    tf_type: text,
    cloud_type: text,
    provider: 'aws',
    account: text,
    region: text,
    id: text,
    resource_key: text,
    changes: [
      { path: text, expected: text, actual: { [text]: [text] } },
      { path: text, expected: null, actual: text, noise_rule: text },
    ],
    // Storage could hold anything an old export carried: the renderers must not trust the enums.
    severity: (i % 2 === 0 ? 'high' : text) as Severity,
    score: i,
    rules: [{ id: text, title: text, severity: 'high', score: 80, path: text }],
    cost: { monthly_usd: 12.5, basis: text, estimate: true },
  };
}

function hostileReport(texts: readonly string[]): DriftReport {
  const report = analyze({ states: [], inventory: [] });
  report.items = texts.map(hostileItem);
  report.duplicates = texts.map((t) => ({ tf_type: t, id: t, addresses: [{ source: t, address: t }] }));
  report.summary.cost.source = texts[0] ?? '';
  report.summary.cost.as_of = texts[0] ?? '';
  return report;
}

const HTML_TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'h1',
  'table',
  'tr',
  'th',
  'td',
  'span',
  'code',
  'br',
  'small',
]);
const HTML_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class']);
const HTML_CLASSES = new Set(['', 'sev', 'critical', 'high', 'medium', 'low', 'noise']);

function expectInertHtml(html: string): void {
  for (const tag of htmlTagNames(html)) expect(HTML_TAGS, `tag <${tag}>`).toContain(tag);
  for (const { name, value } of htmlAttributes(html)) {
    expect(HTML_ATTRIBUTES, `attribute ${name}`).toContain(name);
    if (name === 'class') for (const c of value.split(' ')) expect(HTML_CLASSES, `class ${c}`).toContain(c);
  }
}

const MARKDOWN_TAGS = /<\/?(details|summary|code|sub)>/g;

function expectInertMarkdown(md: string): void {
  const lines = md.split('\n');
  expect(md).not.toMatch(/[\r\u2028\u2029\u0085]/);
  let columns = 0;
  for (const line of lines) {
    const outside = outsideCodeSpans(line).replace(MARKDOWN_TAGS, '');
    // Entity references (&lt;) only ever show a character; a raw < or [ could start markup
    // (an image needs `![`).
    expect(unescapedChars(outside, '<>[]'), line).toEqual([]);
    if (!line.startsWith('|')) {
      columns = 0;
      continue;
    }
    // Every row of a table splits into as many cells as its header.
    columns ||= cellSeparators(line);
    expect(cellSeparators(line), line).toBe(columns);
  }
}

function expectInertSarif(text: string): void {
  const sarif = JSON.parse(text);
  for (const result of sarif.runs[0].results) {
    const message: string = result.message.text;
    expect(unescapedChars(message, '[]'), message).toEqual([]);
    const uri: string = result.locations[0].physicalLocation.artifactLocation.uri;
    const resolved = new URL(uri, 'file:///reports/');
    expect(resolved.protocol).toBe('file:');
    expect(resolved.pathname.startsWith('/reports/'), uri).toBe(true);
  }
}

function expectJsonOfReport(text: string, report: DriftReport): void {
  expect(text).not.toMatch(/[<>&\u2028\u2029]/);
  expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
}

function expectAllFormatsInert(report: DriftReport): void {
  expectInertHtml(renderReport(report, 'html'));
  expectInertMarkdown(renderReport(report, 'markdown'));
  expectInertSarif(renderReport(report, 'sarif'));
  expectJsonOfReport(renderReport(report, 'json'), report);
}

describe('reports of hostile values', () => {
  const report = hostileReport(HOSTILE);

  it('HTML: no tag, attribute or class comes from a value', () => {
    const html = renderReport(report, 'html');
    expectInertHtml(html);
    expect(html).not.toMatch(/<(img|script|svg|details)/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&amp;lt;script&amp;gt;');
  });

  it('Markdown: values stay in code spans or escaped text, one table cell each, one line each', () => {
    const md = renderReport(report, 'markdown');
    expectInertMarkdown(md);
    expect(md).toContain('`<script>alert(1)</script>`');
    expect(md).toContain('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>');
    expect(md).toContain('``` `code` ``two`` ```three ```');
  });

  it('SARIF: messages are plain text without links, locations relative URIs', () => {
    const sarif = renderReport(report, 'sarif');
    expectInertSarif(sarif);
    const messages = JSON.parse(sarif).runs[0].results.map((r: { message: { text: string } }) => r.message.text);
    expect(messages.join('\n')).toContain('\\[click\\](https://evil.example)');
  });

  it('JSON: the report itself, with no markup character in its text', () => {
    expectJsonOfReport(renderReport(report, 'json'), report);
  });

  it('takes nothing from inherited members when a value names one (toString, constructor, __proto__)', () => {
    expectAllFormatsInert(hostileReport(['', 'toString', 'constructor', '__proto__']));
  });

  it('every format survives arbitrary strings in every field', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(anyText, markupText, fc.constantFrom(...HOSTILE)), { minLength: 1, maxLength: 4 }),
        (texts) => expectAllFormatsInert(hostileReport(texts)),
      ),
      { numRuns: 1000 },
    );
  });
});

const ACCOUNT = '111122223333';

function securityGroup(id: string, text: string): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    type: 'AWS::EC2::SecurityGroup',
    id,
    name: text,
    attributes: {
      GroupId: id,
      GroupName: text,
      Description: text,
      VpcId: 'vpc-1',
      IpPermissions: [],
      IpPermissionsEgress: [],
      Tags: [
        { Key: text, Value: text },
        { Key: 'Name', Value: text },
      ],
    },
    tags: { [text]: text, Name: text },
  };
}

function azureGroup(text: string): DiscoveredResource {
  return {
    provider: 'azure',
    account: '0b7c5a4e-1f2d-4c3b-9a8e-7d6c5b4a3f2e',
    region: 'eastus',
    type: 'Microsoft.Resources/resourceGroups',
    id: `/subscriptions/0b7c5a4e-1f2d-4c3b-9a8e-7d6c5b4a3f2e/resourceGroups/${text}`,
    name: text,
    attributes: { name: text, location: 'eastus', tags: { [text]: text } },
    tags: { [text]: text },
  };
}

function codify(inventory: DiscoveredResource[]): string {
  return renderReport(analyze({ states: [], inventory }), 'codify', inventory);
}

/** What must hold of any codify output: nothing evaluates, names are names, values read back. */
function expectInertHcl(hcl: string, values: readonly string[]): void {
  const scan = scanHcl(hcl);
  expect(scan.liveTemplates).toEqual([]);
  for (const value of values) expect(scan.strings).toContain(value.toWellFormed());
  for (const line of scan.bare.split('\n')) {
    if (
      line.startsWith('#') ||
      line.trim() === '' ||
      /^\s*(import \{|resource\s+\{|\}|[a-z_]+ \{|to = [a-z_]+\.[a-z_][a-z0-9_-]*)$/.test(line)
    )
      continue;
    // An argument or object element, its key an identifier or a (removed) string, its value
    // literals only: nothing Terraform could read as a reference or a function call.
    const [, , value] = /^\s*([A-Za-z_][A-Za-z0-9_-]*)?\s*=(.*)$/.exec(line) ?? [];
    expect(value, line).toBeDefined();
    for (const token of value!.split(/[\s[\],{}]+/))
      expect(token, line).toMatch(/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|)$/);
  }
  for (const m of hcl.matchAll(/^resource "([^"]*)" "([^"]*)" \{$/gm)) expect(m[2]).toMatch(/^[a-z_][a-z0-9_-]*$/);
  for (const m of hcl.matchAll(/^ {2}to = (.*)$/gm)) expect(m[1]).toMatch(/^[a-z_]+\.[a-z_][a-z0-9_-]*$/);
}

describe('codify of hostile cloud values', () => {
  it('writes them as string literals Terraform reads back as they are, with every template doubled', () => {
    const inventory = HOSTILE.flatMap((text, i) => [securityGroup(`sg-${i}${text}`, text), azureGroup(text)]);
    const hcl = codify(inventory);
    expect(hcl).toContain('"$${var.db_password}"');
    expect(hcl).toContain('"%%{ if true }yes%%{ endif }"');
    expectInertHcl(hcl, [...HOSTILE, ...HOSTILE.map((t, i) => `sg-${i}${t}`)]);
  });

  it('keeps to that for arbitrary strings in names, ids, tag keys and values', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, markupText), fc.oneof(anyText, markupText), (text, id) => {
        const hcl = codify([securityGroup(`sg-${id}`, text), azureGroup(text)]);
        expectInertHcl(hcl, [text, `sg-${id}`]);
      }),
      { numRuns: 500 },
    );
  });
});
