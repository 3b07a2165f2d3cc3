import { describe, expect, it } from 'vitest';
import { outsideCodeSpans, scanHcl } from '../../test/support/report-scan.js';
import {
  hclString,
  jsonText,
  markdownCell,
  markdownCode,
  markdownText,
  plainLine,
  relativeUri,
  sarifText,
} from './escape.js';

describe('plainLine', () => {
  it('keeps one value on one line and shows controls instead of obeying them', () => {
    expect(plainLine('a\nb\r\nc\rd\u2028e\u2029f\u0085g')).toBe('a↵b↵c↵d↵e↵f↵g');
    expect(plainLine('x\u0000y\u001bz\u202eevil')).toBe('x\uFFFDy\uFFFDz\uFFFDevil');
    expect(plainLine('tab\tstays')).toBe('tab\tstays');
    expect(plainLine('lone \ud800 surrogate')).toBe('lone \uFFFD surrogate');
  });
});

describe('markdownCode', () => {
  it('fences with one backtick more than the longest run inside, padding backticks at the ends', () => {
    expect(markdownCode('plain')).toBe('`plain`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('``x```')).toBe('```` ``x``` ````');
    expect(markdownCode(' both ')).toBe('`  both  `');
    expect(markdownCode('   ')).toBe('`   `');
    expect(markdownCode('')).toBe('');
  });

  it('leaves nothing outside the span', () => {
    for (const text of ['<img src=x onerror=alert(1)>', '`<b>`', '```', 'a ` b `` c', '\\`<script>']) {
      expect(outsideCodeSpans(markdownCode(text)), text).toBe('\u0000');
    }
  });
});

describe('markdownCell', () => {
  it('escapes every pipe and cuts long values at a code point', () => {
    expect(markdownCell('a|b', 10)).toBe('`a\\|b`');
    expect(markdownCell('\\|', 10)).toBe('`\\\\|`');
    expect(markdownCell('😀'.repeat(5), 3)).toBe('`😀😀…`');
  });
});

describe('markdownText', () => {
  it('backslash-escapes all ASCII punctuation', () => {
    expect(markdownText('<b>*x*</b> [l](u) `c` | #')).toBe('\\<b\\>\\*x\\*\\<\\/b\\> \\[l\\]\\(u\\) \\`c\\` \\| \\#');
  });
});

describe('sarifText', () => {
  it('escapes brackets and backslashes so no embedded link forms', () => {
    expect(sarifText('[click](https://evil)')).toBe('\\[click\\](https://evil)');
    expect(sarifText('a\\]b')).toBe('a\\\\\\]b');
  });
});

describe('relativeUri', () => {
  it('encodes each segment and drops what could leave the base', () => {
    expect(relativeUri('states/prod.tfstate', 'x')).toBe('states/prod.tfstate');
    expect(relativeUri('javascript:alert(1)', 'x')).toBe('javascript%3Aalert(1)');
    expect(relativeUri('../../etc/passwd', 'x')).toBe('etc/passwd');
    expect(relativeUri('//evil.example/x', 'x')).toBe('evil.example/x');
    expect(relativeUri('C:\\tf\\a b.tfstate', 'x')).toBe('C%3A/tf/a%20b.tfstate');
    expect(relativeUri('/..//./', 'fallback.tfstate')).toBe('fallback.tfstate');
  });
});

describe('jsonText', () => {
  it('is the same JSON value with markup characters escaped', () => {
    const value = { '<k>': '</script><img onerror=x>&\u2028\u2029' };
    const text = jsonText(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('hclString', () => {
  it('doubles template introducers and escapes quotes, backslashes and controls', () => {
    expect(hclString('${var.db_password}')).toBe('"$${var.db_password}"');
    expect(hclString('%{ for x in y }')).toBe('"%%{ for x in y }"');
    expect(hclString('$${kept} %%{kept}')).toBe('"$$${kept} %%%{kept}"');
    expect(hclString('"\\\n\t\u0001')).toBe('"\\"\\\\\\n\\t\\u0001"');
  });

  it('reads back as exactly the value, with no live template', () => {
    for (const text of ['${path.cwd}', '$${x}', '$$${x}', '%{if}', 'a$', '%', '"${"', '\\${x}', 'é\u2028😀']) {
      const scan = scanHcl(`v = ${hclString(text)}`);
      expect(scan.liveTemplates, text).toEqual([]);
      expect(scan.strings, text).toEqual([text]);
    }
  });
});
