import { isRecord } from '../util/json.js';
import { formatRule, parseRule } from './rule-string.js';
import { list } from './values.js';

/**
 * IAM policy documents (identity policies, trust policies, bucket policies) as sets of one-line
 * statements `access=allow source=* action=s3:GetObject resource=arn:…`: IAM ignores the order
 * of statements and of the values in Action, Resource and Principal, and reads a lone string as
 * a one-element list, so two documents IAM treats alike give the same set. IAM's APIs return
 * documents URL-encoded; Terraform stores them as JSON strings.
 */

type Doc = Record<string, unknown>;

/** Statement keys holding lists of strings, and the field each becomes. */
const LIST_FIELDS: [key: string, field: string][] = [
  ['Action', 'action'],
  ['NotAction', 'not_action'],
  ['Resource', 'resource'],
  ['NotResource', 'not_resource'],
];

/** A bare account id as a principal is stored by IAM as that account's root ARN. */
const awsPrincipal = (p: string) => (/^\d{12}$/.test(p) ? `arn:aws:iam::${p}:root` : p);

/** `"*"` and `{"AWS": "*"}` both mean anyone; other principals become `Kind:value`. */
function principals(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return list(value).map(String).sort().join(',');
  const out: string[] = [];
  for (const [kind, ids] of Object.entries(value)) {
    for (const id of list(ids).map(String)) {
      if (kind === 'AWS' && id === '*') out.push('*');
      else out.push(`${kind}:${kind === 'AWS' ? awsPrincipal(id) : id}`);
    }
  }
  return [...new Set(out)].sort().join(',');
}

/** JSON with object keys and list values sorted, so equal conditions print equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).sort().join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Condition values as lists of strings: `"false"`, `["false"]` and `false` are one condition to IAM. */
function conditions(condition: Doc): Doc {
  const out: Doc = {};
  for (const [operator, keys] of Object.entries(condition)) {
    out[operator] = isRecord(keys)
      ? Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, list(v).map(String)]))
      : keys;
  }
  return out;
}

function statementRule(s: Doc): string {
  const fields: Record<string, string | undefined> = {
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    access: String(s.Effect ?? 'Allow').toLowerCase(),
    source: principals(s.Principal),
    not_source: principals(s.NotPrincipal),
  };
  for (const [key, field] of LIST_FIELDS) {
    if (s[key] !== undefined) fields[field] = [...new Set(list(s[key]).map(String))].sort().join(',');
  }
  if (isRecord(s.Condition) && Object.keys(s.Condition).length > 0)
    fields.condition = stableJson(conditions(s.Condition));
  return formatRule(fields);
}

/** A JSON document from Terraform's string, IAM's URL-encoded string, or an already parsed object. */
function parseDocument(value: unknown): Doc | undefined {
  if (isRecord(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  for (const text of [value, safeDecode(value)]) {
    try {
      const doc: unknown = JSON.parse(text);
      if (isRecord(doc)) return doc;
    } catch {
      // not this spelling: try the next one
    }
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A policy document as its sorted statements, plus `version=…` when it names one. A value that
 * is no JSON document stays as it is, so it can only ever differ from a real one.
 */
export function policyStatements(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  const doc = parseDocument(value);
  if (!doc) return value;
  const statements = list(doc.Statement).filter(isRecord).map(statementRule);
  const version = typeof doc.Version === 'string' ? [formatRule({ version: doc.Version })] : [];
  return [...version, ...statements].sort();
}

const splitList = (v: string | undefined) => (v === undefined ? undefined : v.split(','));
const oneOrMany = (v: string[] | undefined) => (v && v.length === 1 ? v[0] : v);

function principalsBack(v: string | undefined): unknown {
  const ids = splitList(v);
  if (!ids) return undefined;
  if (ids.length === 1 && ids[0] === '*') return '*';
  const byKind: Record<string, string[]> = {};
  for (const id of ids) {
    const [kind, ...rest] = id === '*' ? ['AWS', '*'] : id.split(':');
    (byKind[kind!] ??= []).push(rest.join(':'));
  }
  return Object.fromEntries(Object.entries(byKind).map(([k, vs]) => [k, oneOrMany(vs)]));
}

/** Sorted statements back into the JSON string Terraform stores (the state writer and codify use it). */
export function policyDocument(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const doc: Doc = {};
  const statements: Doc[] = [];
  for (const line of value.map(String)) {
    const f = parseRule(line);
    if (f.version !== undefined) {
      doc.Version = f.version;
      continue;
    }
    const s: Doc = {};
    if (f.sid) s.Sid = f.sid;
    s.Effect = f.access === 'deny' ? 'Deny' : 'Allow';
    const principal = principalsBack(f.source);
    if (principal !== undefined) s.Principal = principal;
    const notPrincipal = principalsBack(f.not_source);
    if (notPrincipal !== undefined) s.NotPrincipal = notPrincipal;
    for (const [key, field] of LIST_FIELDS) {
      const values = oneOrMany(splitList(f[field]));
      if (values !== undefined) s[key] = values;
    }
    if (f.condition) s.Condition = JSON.parse(f.condition);
    statements.push(s);
  }
  doc.Statement = statements;
  return JSON.stringify(doc);
}

/** An allowing statement over every action on every resource: administrator access. */
export function grantsAdmin(statement: unknown): boolean {
  if (typeof statement !== 'string') return false;
  const f = parseRule(statement);
  return (
    f.access === 'allow' && (f.action ?? '').split(',').includes('*') && (f.resource ?? '').split(',').includes('*')
  );
}

export const IAM_POLICY_CONVERTERS = {
  'iam-policy': policyStatements,
  'iam-policy-to-tf': policyDocument,
};
