// @ts-check
/**
 * The "Try it" form of an operation on /docs: a field per path and query parameter, the JSON body
 * to edit (started from the schema's example), and the answer as it came, sent with this tab's token.
 */
import { session } from './api.js';
import { exampleOf, resolve } from './docs-schema.js';
import { badge, el } from './dom.js';

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

/** A response body is shown up to this many bytes. */
const MAX_SHOWN_BYTES = 256 * 1024;
/** A streamed response (Server-Sent Events) is read this long, then shown as far as it got. */
const READ_MS = 5000;

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
export function tryForm(method, path, op, params, components) {
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
