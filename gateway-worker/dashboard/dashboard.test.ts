import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(new Request(`http://gateway.test${path}`, { headers }));
  return { res, html: await res.text() };
}

function directive(csp: string, name: string): string[] {
  const found = csp.split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name);
  return found ? found.slice(1) : [];
}

/** The nonce of every <script> and <style> element, in document order. */
function elementNonces(html: string): (string | null)[] {
  return [...html.matchAll(/<(script|style)\b([^>]*)>/gi)].map((m) => /\bnonce="([^"]+)"/.exec(m[2]!)?.[1] ?? null);
}

describe('dashboard page', () => {
  it.each(['/', '/dashboard'])('GET %s answers HTML without a token', async (path) => {
    const { res, html } = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('id="discover-form"');
  });

  it('has a strict CSP whose nonce is the one on its inline script and style', async () => {
    const { res, html } = await get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    const [scriptSrc] = directive(csp, 'script-src');
    expect(directive(csp, 'script-src')).toHaveLength(1);
    expect(directive(csp, 'style-src')).toEqual([scriptSrc]);
    expect(directive(csp, 'default-src')).toEqual(["'none'"]);
    expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc ?? '')?.[1];
    expect(nonce).toBeDefined();
    const nonces = elementNonces(html);
    expect(nonces).toHaveLength(2);
    expect(nonces).toEqual([nonce, nonce]);
    expect(html).toContain(`<script type="module" nonce="${nonce}">`);
  });

  it('uses a fresh nonce for every response', async () => {
    const first = (await get('/')).res.headers.get('content-security-policy');
    const second = (await get('/')).res.headers.get('content-security-policy');
    expect(directive(first!, 'script-src')).not.toEqual(directive(second!, 'script-src'));
  });

  it('loads nothing from elsewhere: no URLs, no src attributes, links only within the page', async () => {
    const { html } = await get('/');
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    const css = /<style[^>]*>([\s\S]*)<\/style>/.exec(html)![1]!;
    expect(css).not.toMatch(/url\(|@import/i);
    const hrefs = [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^(#|data:,$)/);
  });

  it('never turns API data into markup', async () => {
    const { html } = await get('/');
    const script = /<script[^>]*>([\s\S]*)<\/script>/.exec(html)![1]!;
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(script).toContain('textContent');
  });

  it('keeps the token in sessionStorage, takes it from the URL hash once, and sends it as a bearer', async () => {
    const { html } = await get('/');
    expect(html).toContain('sessionStorage.setItem');
    expect(html).not.toContain('localStorage');
    expect(html).toContain("params.get('token')");
    expect(html).toContain('history.replaceState');
    expect(html).toContain("authorization: 'Bearer ' + token");
  });

  it('leaves the API alone: no page headers there, and the API still needs a token', async () => {
    const jobs = await get('/api/v1/jobs');
    expect(jobs.res.status).toBe(401);
    expect(jobs.res.headers.get('content-security-policy')).toBeNull();
    const health = await get('/health');
    expect(health.res.headers.get('content-security-policy')).toBeNull();
  });
});
