// @ts-check
/**
 * JSON Schemas of an OpenAPI 3.1 document read by people: a schema as TypeScript-like text with
 * its constraints as comments, and an example value to start a request body from.
 */

/**
 * The parts of JSON Schema the document uses; anything else is ignored.
 * @typedef {object} Schema
 * @property {string | string[]} [type]
 * @property {string} [$ref]
 * @property {Record<string, Schema>} [properties]
 * @property {string[]} [required]
 * @property {Schema | boolean} [additionalProperties]
 * @property {Schema} [propertyNames]
 * @property {Schema} [items]
 * @property {Schema[]} [anyOf]
 * @property {Schema[]} [oneOf]
 * @property {Schema[]} [allOf]
 * @property {unknown[]} [enum]
 * @property {unknown} [const]
 * @property {unknown} [default]
 * @property {unknown[]} [examples]
 * @property {boolean} [nullable]
 * @property {string} [format]
 * @property {string} [pattern]
 * @property {string} [description]
 * @property {number} [minLength]
 * @property {number} [maxLength]
 * @property {number} [minimum]
 * @property {number} [maximum]
 * @property {number} [minItems]
 * @property {number} [maxItems]
 */
/** @typedef {{ schemas?: Record<string, Schema> }} Components */

/** Nesting deeper than this prints as `…` (a guard against self-referencing schemas). */
const MAX_DEPTH = 12;

/**
 * The schema a `$ref` names in the document's components, or the schema itself.
 * @param {Schema} schema
 * @param {Components} components
 * @returns {Schema}
 */
export function resolve(schema, components) {
  const name = schema.$ref?.replace('#/components/schemas/', '');
  return (name && components.schemas?.[name]) || schema;
}

/**
 * The constraints and notes of a schema, for a comment after it.
 * @param {Schema} s
 */
function notes(s) {
  /** @type {[string, unknown][]} */
  const facts = [
    ['format', s.format],
    ['pattern', s.pattern],
    ['min length', s.minLength],
    ['max length', s.maxLength],
    ['min', s.minimum],
    ['max', s.maximum],
    ['min items', s.minItems],
    ['max items', s.maxItems],
    ['default', s.default === undefined ? undefined : JSON.stringify(s.default)],
  ];
  const parts = facts.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`);
  if (s.description) parts.unshift(s.description);
  return parts.join('; ');
}

/**
 * @param {string} text
 * @param {string} note
 */
function withNote(text, note) {
  return note ? `${text}  // ${note}` : text;
}

/**
 * The schema as TypeScript-like text: `{ name: string }`, `"a" | "b"`, `T[]`; `?` marks optional keys.
 * @param {Schema} schema
 * @param {Components} [components]
 * @param {string} [indent]
 * @param {number} [depth]
 * @returns {string}
 */
export function schemaText(schema, components = {}, indent = '', depth = 0) {
  if (depth > MAX_DEPTH) return '…';
  const s = resolve(schema, components);
  /** @param {Schema} inner */
  const nested = (inner) => schemaText(inner, components, indent, depth + 1);
  const union = s.anyOf ?? s.oneOf;
  let text;
  if (union) text = union.map(nested).join(' | ');
  else if (s.allOf) text = s.allOf.map(nested).join(' & ');
  else if (s.enum) text = s.enum.map((v) => JSON.stringify(v)).join(' | ');
  else if (s.const !== undefined) text = JSON.stringify(s.const);
  else if (Array.isArray(s.type)) text = s.type.map((t) => nested({ ...s, type: t })).join(' | ');
  else if (s.type === 'object' || s.properties) text = objectText(s, components, indent, depth);
  else if (s.type === 'array') {
    const item = s.items ? nested(s.items) : 'unknown';
    text = /[|&]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
  } else text = s.type ?? 'unknown';
  return s.nullable ? `${text} | null` : text;
}

/**
 * @param {Schema} s
 * @param {Components} components
 * @param {string} indent
 * @param {number} depth
 */
function objectText(s, components, indent, depth) {
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const lines = Object.entries(s.properties ?? {}).map(([key, value]) => {
    const prop = resolve(value, components);
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
    return withNote(
      `${inner}${name}${required.has(key) ? '' : '?'}: ${schemaText(prop, components, inner, depth + 1)}`,
      notes(prop),
    );
  });
  if (typeof s.additionalProperties === 'object') {
    const keys = s.propertyNames ? schemaText(s.propertyNames, components, inner, depth + 1) : 'string';
    lines.push(`${inner}[key: ${keys}]: ${schemaText(s.additionalProperties, components, inner, depth + 1)}`);
  }
  return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
}

/**
 * The whole schema as text, with the top level's own notes after it.
 * @param {Schema} schema
 * @param {Components} [components]
 */
export function describeSchema(schema, components = {}) {
  const s = resolve(schema, components);
  const note = notes(s);
  return note && !(s.type === 'object' || s.properties)
    ? withNote(schemaText(s, components), note)
    : schemaText(s, components);
}

/**
 * A value the schema accepts, to start a request body from: defaults and first enum values where
 * there are some, and only the required keys of objects.
 * @param {Schema} schema
 * @param {Components} [components]
 * @param {number} [depth]
 * @returns {unknown}
 */
export function exampleOf(schema, components = {}, depth = 0) {
  const s = resolve(schema, components);
  if (depth > MAX_DEPTH) return null;
  if (s.default !== undefined) return s.default;
  if (s.examples?.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const choice = (s.anyOf ?? s.oneOf)?.[0];
  if (choice) return exampleOf(choice, components, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'object' || s.properties) {
    const wanted = s.required ?? Object.keys(s.properties ?? {});
    return Object.fromEntries(
      wanted.flatMap((key) => {
        const prop = s.properties?.[key];
        return prop ? [[key, exampleOf(prop, components, depth + 1)]] : [];
      }),
    );
  }
  if (type === 'array') return s.items ? [exampleOf(s.items, components, depth + 1)] : [];
  if (type === 'string' && s.format === 'date-time') return new Date().toISOString();
  return SCALAR_EXAMPLES[type ?? ''] ?? null;
}

/** @type {Record<string, unknown>} */
const SCALAR_EXAMPLES = { string: 'string', number: 0, integer: 0, boolean: false, null: null };
