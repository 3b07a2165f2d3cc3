// @ts-check
/**
 * /docs: the API reference, read from the gateway's own OpenAPI document. Each operation lists its
 * parameters, body and responses, and has a form that sends it with this tab's token (the one the
 * dashboard keeps). Everything from the document reaches the page as text.
 */
import { session } from './api.js';
import { describeSchema, exampleOf, resolve } from './docs-schema.js';
import { $, badge, el, emptyRow, labelCells, notice, show } from './dom.js';

/** @typedef {import('./docs-schema.js').Schema} Schema */
/** @typedef {import('./docs-schema.js').Components} Components */
/** @typedef {{ name: string, in: string, required?: boolean, description?: string, schema?: Schema, $ref?: string }} Parameter */
/** @typedef {{ content?: Record<string, { schema?: Schema }>, required?: boolean, description?: string }} Body */
/**
 * @typedef {object} Operation
 * @property {string} [summary]
 * @property {string} [description]
 * @property {string[]} [tags]
 * @property {unknown[]} [security]
 * @property {Parameter[]} [parameters]
 * @property {Body} [requestBody]
 * @property {Record<string, Body>} [responses]
 */
/**
 * @typedef {object} OpenApiDocument
 * @property {{ title: string, version: string, description?: string }} info
 * @property {Record<string, Record<string, Operation>>} paths
 * @property {Components & { parameters?: Record<string, Parameter> }} [components]
 */

const SPEC_PATH = '/api/v1/openapi.json';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** A response body is shown up to this many bytes. */
const MAX_SHOWN_BYTES = 256 * 1024;
/** A streamed response (Server-Sent Events) is read this long, then shown as far as it got. */
const READ_MS = 5000;

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
 * A field for a parameter: a list of its values when it has a fixed set, else free text.
 * @param {Parameter} p
 * @param {Components} components
 */
function parameterField(p, components) {
  const schema = p.schema ? resolve(p.schema, components) : {};
  const name = `${p.in}:${p.name}`;
  const control = schema.enum
    ? el(
        'select',
        { name },
        el('option', { value: '' }, p.required ? 'choose' : '(not sent)'),
        schema.enum.map((v) => el('option', { value: String(v) }, String(v))),
      )
    : el('input', {
        name,
        autocomplete: 'off',
        spellcheck: 'false',
        placeholder: p.required ? 'required' : 'optional',
      });
  return el('label', {}, el('span', {}, p.name, el('small', {}, ` (${p.in})`)), control);
}

/**
 * The operation's URL with the form's path and query values.
 * @param {string} path
 * @param {FormData} data
 */
function requestUrl(path, data) {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(String(data.get(`path:${name}`) ?? '')));
  const query = new URLSearchParams();
  for (const [key, value] of data) {
    if (key.startsWith('query:') && String(value).trim()) query.set(key.slice('query:'.length), String(value).trim());
  }
  const q = query.toString();
  return q ? `${filled}?${q}` : filled;
}

/**
 * Reads a response body as text, stopping at MAX_SHOWN_BYTES or, for a stream, after READ_MS.
 * @param {Response} res
 */
async function readShown(res) {
  const reader = res.body?.getReader();
  if (!reader) return { text: '', cut: false };
  const decoder = new TextDecoder();
  let text = '';
  let cut = false;
  const timer = setTimeout(() => {
    cut = true;
    void reader.cancel();
  }, READ_MS);
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
      if (text.length >= MAX_SHOWN_BYTES) {
        cut = true;
        await reader.cancel();
        break;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return { text: text.slice(0, MAX_SHOWN_BYTES), cut };
}

/**
 * @param {HTMLElement} out
 * @param {Response} res
 */
async function showResponse(out, res) {
  const type = res.headers.get('content-type') ?? '';
  const { text, cut } = await readShown(res);
  let shown = text;
  if (type.includes('json')) {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not whole JSON (cut short): show it as it came.
    }
  }
  out.replaceChildren(
    el(
      'p',
      {},
      badge(`${res.status} ${res.statusText}`, res.ok ? 'completed' : 'failed'),
      ` ${type}`,
      cut ? ' (shown in part)' : '',
    ),
    el('pre', { class: 'code' }, shown || '(no body)'),
  );
}

/**
 * The form that sends the operation: its parameters, a JSON body to edit, and the answer.
 * @param {string} method
 * @param {string} path
 * @param {Operation} op
 * @param {Parameter[]} params
 * @param {Components} components
 */
function tryForm(method, path, op, params, components) {
  const json = op.requestBody?.content?.['application/json']?.schema;
  const body = json ? el('textarea', { name: 'body', rows: 8, spellcheck: 'false', class: 'mono' }) : null;
  if (body && json) body.value = JSON.stringify(exampleOf(json, components), null, 2);
  const send = el('button', { class: 'primary', type: 'submit' }, `Send ${method.toUpperCase()}`);
  const out = el('div', { class: 'result', role: 'status' });
  const onlyOther = op.requestBody && !json;
  const form = el(
    'form',
    { class: 'grid top try' },
    params.filter((p) => p.in === 'path' || p.in === 'query').map((p) => parameterField(p, components)),
    body ? el('label', { class: 'wide' }, 'Request body (JSON)', body) : null,
    onlyOther ? el('p', { class: 'muted wide' }, 'This body is not JSON: send it with curl or the CLI.') : null,
    el('div', { class: 'actions' }, send),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    /** @type {Record<string, string>} */
    const headers = {};
    if (session.token) headers.authorization = `Bearer ${session.token}`;
    if (body) headers['content-type'] = 'application/json';
    send.disabled = true;
    out.replaceChildren('Sending…');
    try {
      const res = await fetch(requestUrl(path, data), { method: method.toUpperCase(), headers, body: body?.value });
      await showResponse(out, res);
    } catch (err) {
      out.replaceChildren(el('p', { class: 'notice error' }, err instanceof Error ? err.message : String(err)));
    } finally {
      send.disabled = false;
    }
  });
  return el('section', { class: 'part' }, el('h4', {}, 'Try it'), form, out);
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
