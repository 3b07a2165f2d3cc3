import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/support/worker/api.js';

// The test runner calls the Worker directly, never through the static-assets router that sits in
// front of it when deployed or under `wrangler dev`; the dashboard's files are fetched through the
// ASSETS binding, the same asset server with the same _headers and _redirects.
const ORIGIN = 'http://gateway.test';

function asset(path: string) {
  return env.ASSETS.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual' }));
}

async function assetText(path: string) {
  const res = await asset(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

function directive(csp: string, name: string): string[] | undefined {
  const found = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name);
  return found?.slice(1);
}

/** The paths of a page's scripts and stylesheets, checked to stay on this origin. */
async function pageReferences(page = '/'): Promise<{ scripts: string[]; styles: string[] }> {
  const html = await assetText(page);
  const attr = (tag: RegExp, name: string) =>
    [...html.matchAll(tag)].map((m) => new RegExp(`\\b${name}="([^"]+)"`).exec(m[0])![1]!);
  const scripts = attr(/<script\b[^>]*>/g, 'src');
  const styles = attr(/<link\b[^>]*rel="stylesheet"[^>]*>/g, 'href');
  for (const ref of [...scripts, ...styles]) expect(new URL(ref, `${ORIGIN}/`).origin, ref).toBe(ORIGIN);
  return { scripts, styles };
}

/** Every module a page's scripts load, following their static imports. */
async function clientModules(page = '/'): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  const pending = (await pageReferences(page)).scripts.map((src) => new URL(src, `${ORIGIN}/`).pathname);
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (modules.has(path)) continue;
    const source = await assetText(path);
    modules.set(path, source);
    for (const [, spec] of source.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
      pending.push(new URL(spec!, `${ORIGIN}${path}`).pathname);
    }
  }
  return modules;
}

function expectStrictPolicy(res: Response) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(directive(csp, 'default-src')).toEqual(["'none'"]);
  expect(directive(csp, 'script-src')).toEqual(["'self'"]);
  expect(directive(csp, 'style-src')).toEqual(["'self'"]);
  expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
  expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
  expect(directive(csp, 'base-uri')).toEqual(["'none'"]);
  expect(directive(csp, 'form-action')).toEqual(["'none'"]);
  expect(directive(csp, 'require-trusted-types-for')).toEqual(["'script'"]);
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('dashboard page', () => {
  it('is served at / as HTML with a strict CSP and no referrer', async () => {
    const res = await asset('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('id="discover-form"');
    expectStrictPolicy(res);
  });

  it('answers its old address /dashboard with a redirect to /', async () => {
    const res = await asset('/dashboard');
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get('location')!, ORIGIN).pathname).toBe('/');
  });

  it('serves its script modules and stylesheet from this origin with their content types', async () => {
    const { scripts, styles } = await pageReferences();
    expect(scripts).toEqual(['/app.js']);
    expect(styles).toEqual(['/app.css']);
    const modules = await clientModules();
    expect(modules.size).toBeGreaterThan(1);
    for (const path of [...modules.keys(), ...styles]) {
      const res = await asset(path);
      const type = path.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/;
      expect(res.headers.get('content-type'), path).toMatch(type);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      await res.body?.cancel();
    }
  });

  it('loads nothing from elsewhere: no URLs in the page, its stylesheet or its modules', async () => {
    const html = await assetText('/');
    const css = await assetText('/app.css');
    const modules = await clientModules();
    for (const text of [html, css, ...modules.values()]) expect(text).not.toMatch(/https?:\/\//i);
    expect(css).not.toMatch(/url\(|@import/i);
    const hrefs = [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]!);
    for (const href of hrefs) expect(href).toMatch(/^(#|data:,$|\/[a-z])/);
  });

  it('never turns API data into markup, and keeps the token in this tab only', async () => {
    const source = [...(await clientModules()).values()].join('\n');
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(source).toContain('textContent');
    expect(source).toContain('sessionStorage.setItem');
    expect(source).not.toContain('localStorage');
  });

  it('keeps its build files out of the served files', async () => {
    for (const path of ['/_headers', '/_redirects', '/tsconfig.json', '/dashboard.test.ts']) {
      const res = await asset(path);
      expect(res.status, path).toBe(404);
      await res.body?.cancel();
    }
  });
});

describe('the API reference at /docs', () => {
  it('is served at /docs as HTML under the same strict CSP', async () => {
    const res = await asset('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('id="docs-operations"');
    expectStrictPolicy(res);
  });

  it('runs only its own modules, which load nothing from elsewhere and never parse markup', async () => {
    const { scripts, styles } = await pageReferences('/docs');
    expect(scripts).toEqual(['/docs.js']);
    expect(styles).toEqual(['/app.css']);
    const modules = await clientModules('/docs');
    expect([...modules.keys()]).toContain('/docs-schema.js');
    const source = [...modules.values()].join('\n');
    expect(source).not.toMatch(/https?:\/\//i);
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(source).toContain("'/api/v1/openapi.json'");
  });

  it('reads an OpenAPI document the gateway serves without a token', async () => {
    const res = await exports.default.fetch(new Request(`${ORIGIN}/api/v1/openapi.json`));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/jobs', '/api/v1/schedules']));
  });
});

describe('the API beside the dashboard', () => {
  it('has no dashboard file at its paths, so the Worker always answers them', async () => {
    for (const path of ['/api/v1/jobs', '/health', '/metrics']) {
      const res = await asset(path);
      expect(res.status, path).toBe(404);
      await res.body?.cancel();
    }
  });

  it('answers JSON: 401 without a token, the job list with one, and no page headers', async () => {
    const refused = await api('GET', '/api/v1/jobs', undefined, null);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toEqual(expect.any(String));
    const listed = await api('GET', '/api/v1/jobs');
    expect(listed.status).toBe(200);
    expect(listed.body.jobs).toEqual(expect.any(Array));
    for (const path of ['/api/v1/jobs', '/health']) {
      const res = await exports.default.fetch(new Request(`${ORIGIN}${path}`));
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(res.headers.get('content-security-policy'), path).toBeNull();
      await res.body?.cancel();
    }
  });
});
