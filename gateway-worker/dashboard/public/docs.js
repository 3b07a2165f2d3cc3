// @ts-check
/**
 * /docs: the API reference, read from the gateway's own OpenAPI document. Each operation lists its
 * parameters, body and responses, and has a form that sends it with this tab's token (the one the
 * dashboard keeps). Everything from the document reaches the page as text.
 */
import { session } from './api.js';
import { describeSchema } from './docs-schema.js';
import { tryForm } from './docs-try.js';
import { $, el, emptyRow, labelCells, notice, show } from './dom.js';

/** @typedef {import('./docs-schema.js').Schema} Schema */
/** @typedef {import('./docs-schema.js').Components} Components */
/** @typedef {import('./docs-try.js').Parameter} Parameter */
/** @typedef {import('./docs-try.js').Body} Body */
/** @typedef {import('./docs-try.js').Operation} Operation */
/**
 * @typedef {object} OpenApiDocument
 * @property {{ title: string, version: string, description?: string }} info
 * @property {Record<string, Record<string, Operation>>} paths
 * @property {Components & { parameters?: Record<string, Parameter> }} [components]
 */

const SPEC_PATH = '/api/v1/openapi.json';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const ui = {
  title: $('docs-title', HTMLElement),
  version: $('docs-version', HTMLElement),
  description: $('docs-description', HTMLElement),
  tags: $('docs-tags', HTMLElement),
  error: $('docs-error', HTMLElement),
  operations: $('docs-operations', HTMLElement),
  filter: $('docs-filter', HTMLInputElement),
  tokenForm: $('docs-token-form', HTMLFormElement),
  token: $('docs-token', HTMLInputElement),
  tokenState: $('docs-token-state', HTMLElement),
};

/**
 * Text with `code` spans set as code.
 * @param {string} text
 */
function prose(text) {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? el('code', {}, part) : part));
}

/** @param {string} text */
function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * @param {Parameter} p
 * @param {OpenApiDocument} doc
 * @returns {Parameter}
 */
function resolveParameter(p, doc) {
  const name = p.$ref?.replace('#/components/parameters/', '');
  return (name && doc.components?.parameters?.[name]) || p;
}

/** @param {unknown[] | undefined} security */
function authText(security) {
  return security?.length ? 'Bearer token (Authorization: Bearer …)' : 'No authentication';
}

/**
 * @param {Parameter[]} params
 * @param {Components} components
 */
function parameterTable(params, components) {
  const rows = params.map((p) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row', class: 'mono' }, p.name),
      el('td', {}, p.in),
      el('td', { class: 'mono wrap' }, p.schema ? describeSchema(p.schema, components) : ''),
      el('td', {}, p.required ? 'yes' : 'no'),
      el('td', { class: 'wrap' }, p.description ? prose(p.description) : ''),
    ),
  );
  const body = el('tbody', {}, rows);
  const head = ['Name', 'In', 'Type', 'Required', 'Description'].map((h) => el('th', { scope: 'col' }, h));
  const table = el('table', { class: 'stack' }, el('thead', {}, el('tr', {}, head)), body);
  labelCells(body);
  return el('div', { class: 'table-wrap' }, table);
}

/**
 * A body's content types, each with its schema as text.
 * @param {Body} body
 * @param {Components} components
 */
function contentList(body, components) {
  return Object.entries(body.content ?? {}).map(([type, media]) =>
    el(
      'div',
      { class: 'part' },
      el('div', { class: 'muted' }, type),
      media.schema ? el('pre', { class: 'code' }, describeSchema(media.schema, components)) : null,
    ),
  );
}

/**
 * @param {Record<string, Body>} responses
 * @param {Components} components
 */
function responseTable(responses, components) {
  const rows = Object.entries(responses).map(([status, response]) => {
    const content = contentList(response, components);
    return el(
      'tr',
      {},
      el('th', { scope: 'row', class: 'mono' }, status),
      el('td', { class: 'wrap' }, response.description ? prose(response.description) : ''),
      el('td', { class: 'wrap' }, content.length ? el('details', {}, el('summary', {}, 'Body'), content) : '—'),
    );
  });
  const body = el('tbody', {}, rows.length ? rows : [emptyRow(3, 'No responses documented.')]);
  const head = ['Status', 'Meaning', 'Body'].map((h) => el('th', { scope: 'col' }, h));
  const table = el('table', { class: 'stack' }, el('thead', {}, el('tr', {}, head)), body);
  labelCells(body);
  return el('div', { class: 'table-wrap' }, table);
}

/**
 * @param {string} method
 * @param {string} path
 * @param {Operation} op
 * @param {OpenApiDocument} doc
 */
function operation(method, path, op, doc) {
  const components = doc.components ?? {};
  const params = (op.parameters ?? []).map((p) => resolveParameter(p, doc));
  const details = el(
    'details',
    {
      class: 'op',
      id: `op-${method}-${slug(path)}`,
      'data-search': `${method} ${path} ${op.summary ?? ''} ${op.tags?.join(' ') ?? ''}`.toLowerCase(),
    },
    el(
      'summary',
      {},
      el('span', { class: `method ${method}` }, method.toUpperCase()),
      el('code', { class: 'path' }, path),
      el('span', { class: 'op-summary' }, op.summary ? prose(op.summary) : ''),
    ),
    el(
      'div',
      { class: 'op-body' },
      op.description ? el('p', {}, prose(op.description)) : null,
      el('p', { class: 'muted' }, authText(op.security)),
      params.length ? [el('h4', {}, 'Parameters'), parameterTable(params, components)] : null,
      op.requestBody ? [el('h4', {}, 'Request body'), ...contentList(op.requestBody, components)] : null,
      el('h4', {}, 'Responses'),
      responseTable(op.responses ?? {}, components),
      tryForm(method, path, op, params, components),
    ),
  );
  return details;
}

/**
 * The operations grouped by their first tag, in the order the document lists them.
 * @param {OpenApiDocument} doc
 */
function byTag(doc) {
  /** @type {Map<string, HTMLElement[]>} */
  const groups = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      groups.set(tag, [...(groups.get(tag) ?? []), operation(method, path, op, doc)]);
    }
  }
  return groups;
}

/** @param {OpenApiDocument} doc */
function render(doc) {
  ui.title.textContent = doc.info.title;
  ui.version.textContent = `version ${doc.info.version}`;
  ui.description.replaceChildren(...prose(doc.info.description ?? ''));
  const groups = byTag(doc);
  ui.tags.replaceChildren(...[...groups.keys()].map((tag) => el('a', { href: `#tag-${slug(tag)}` }, tag)));
  ui.operations.replaceChildren(
    ...[...groups].map(([tag, ops]) =>
      el('section', { class: 'panel tag', id: `tag-${slug(tag)}`, 'aria-label': tag }, el('h2', {}, tag), ops),
    ),
  );
}

function applyFilter() {
  const words = ui.filter.value.toLowerCase().split(/\s+/).filter(Boolean);
  for (const section of ui.operations.querySelectorAll('section.tag')) {
    let any = false;
    for (const op of section.querySelectorAll('details.op')) {
      const text = op.getAttribute('data-search') ?? '';
      const match = words.every((w) => text.includes(w));
      show(op, match);
      any ||= match;
    }
    show(section, any);
  }
}

function showTokenState() {
  ui.tokenState.textContent = session.token
    ? 'A token is set for this tab: Send uses it.'
    : 'No token in this tab: operations that need one answer 401.';
}

async function load() {
  try {
    const res = await fetch(SPEC_PATH);
    if (!res.ok) throw new Error(`${SPEC_PATH} answered ${res.status}`);
    render(await res.json());
    applyFilter();
  } catch (err) {
    notice(
      ui.error,
      `The OpenAPI document could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
      'error',
    );
  }
}

ui.filter.addEventListener('input', applyFilter);
ui.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  session.token = ui.token.value.trim() || null;
  ui.token.value = '';
  showTokenState();
});
$('docs-token-forget', HTMLButtonElement).addEventListener('click', () => {
  session.token = null;
  showTokenState();
});
showTokenState();
void load();
