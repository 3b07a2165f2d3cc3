import { Hono } from 'hono';
import { NONCE, secureHeaders, type SecureHeadersVariables } from 'hono/secure-headers';
import type { AppEnv } from '../app-env.js';
import { renderDashboard } from './page.js';

type DashboardEnv = AppEnv & { Variables: SecureHeadersVariables };

/**
 * Only the page's own nonce-tagged script and stylesheet may run, and the API on this origin
 * is the only thing it may talk to. Applied per route (not `use('*')`) so that mounting this
 * router at '/' leaves the API's headers alone.
 */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: [NONCE],
    connectSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
});

/** The web dashboard: a public page; it asks for the API token itself and sends it as a bearer. */
export const dashboardRoutes = new Hono<DashboardEnv>().on('GET', ['/', '/dashboard'], pageHeaders, (c) => {
  c.header('Cache-Control', 'no-store');
  return c.html(renderDashboard(c.get('secureHeadersNonce')!));
});
