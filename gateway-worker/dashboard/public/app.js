// @ts-check
/** The dashboard's entry: sign-in and sign-out, and the hash routing between its views. */
import { adoptTokenFromHash, listJobs, session, showFailure, whenTokenRefused } from './api.js';
import './discover.js';
import { $, notice, show } from './dom.js';
import { openDrift } from './drift.js';
import { closeItem } from './drift-detail.js';
import { openJobs } from './jobs.js';
import { currentView, hashParams, stopRefreshing } from './nav.js';
import { openNotifications } from './notifications.js';
import { openOverview } from './overview.js';
import { openSchedules } from './schedules.js';
import { openUnmanaged } from './unmanaged.js';

const signin = $('signin', HTMLElement);
const app = $('app', HTMLElement);
const tokenInput = $('signin-token', HTMLInputElement);
const signinError = $('signin-error', HTMLElement);
const signinSubmit = $('signin-submit', HTMLButtonElement);

/** @param {string} reason shown above the sign-in form; empty for a chosen sign-out */
function signOut(reason) {
  session.token = null;
  stopRefreshing();
  closeItem();
  shownView = null;
  show(app, false);
  show(signin, true);
  notice(signinError, reason, 'error');
  tokenInput.value = '';
  tokenInput.focus();
}

function signedIn() {
  show(signin, false);
  show(app, true);
  route();
}

/** What each view loads as it comes on screen (or its hash parameters change), from those parameters. */
const OPENERS = {
  overview: () => openOverview(),
  jobs: (/** @type {URLSearchParams} */ p) => openJobs(p.get('job')),
  drift: (/** @type {URLSearchParams} */ p, /** @type {boolean} */ entering) =>
    openDrift(p.get('job'), p.get('item'), entering),
  unmanaged: (/** @type {URLSearchParams} */ p) => openUnmanaged(p.get('job')),
  schedules: () => openSchedules(),
  notifications: () => openNotifications(),
  discover: async () => {},
};

/** @type {string | null} the view on screen, so focus moves to a view's heading only as it changes */
let shownView = null;

/** Shows the view the hash names and loads what it needs. */
function route() {
  if (!session.token) return;
  const view = currentView();
  for (const link of document.querySelectorAll('nav a')) {
    if (link instanceof HTMLElement && link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const panel of document.querySelectorAll('[data-panel]')) {
    if (panel instanceof HTMLElement) show(panel, panel.dataset.panel === view);
  }
  stopRefreshing();
  if (view !== 'drift') closeItem();
  const entering = shownView !== view;
  const heading = document.querySelector(`[data-panel="${view}"] h2`);
  if (shownView !== null && entering && heading instanceof HTMLElement) heading.focus();
  shownView = view;
  void OPENERS[view](hashParams(), entering);
}

$('signin-form', HTMLFormElement).addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return notice(signinError, 'Enter a token.', 'error');
  signinSubmit.disabled = true;
  session.token = token;
  try {
    await listJobs(1);
    notice(signinError, '');
    signedIn();
  } catch (err) {
    showFailure(signinError, err);
  } finally {
    signinSubmit.disabled = false;
  }
});
$('sign-out', HTMLButtonElement).addEventListener('click', () => signOut(''));
window.addEventListener('hashchange', route);
whenTokenRefused(signOut);

adoptTokenFromHash();
if (session.token) signedIn();
else signOut('');
