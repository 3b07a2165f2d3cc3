/**
 * Writes EC2 Query API XML replies from the EC2 service model that ships inside
 * @aws-sdk/client-ec2 (its exported static schemas, e.g. `DescribeVpcsResult$`). The model
 * names every XML element (`xmlName`: `vpcSet`, `instanceState`, `tagSet`, list items `item`),
 * so the emulator answers with the same element names real EC2 sends without a hand-written
 * table per shape.
 *
 * Static schema encoding (Smithy schema-serde): a number is a simple type (0 string, 1 number,
 * 2 boolean, 4-7 timestamp, 15 document, 21 blob, 64|x list of x, 128|x map of x); an array
 * `[kind, namespace, name, traits, ...]` is kind 0 simple-with-traits, 1 list, 2 map,
 * 3 structure, -3 error; a two-element array `[schema, traits]` is a member with its traits;
 * a function is a lazy reference.
 */

export const EC2_XML_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

type SchemaRef = unknown;
type Traits = Record<string, unknown> | number;

interface Member {
  schema: SchemaRef;
  traits: Traits;
}

const deref = (ref: SchemaRef): SchemaRef => (typeof ref === 'function' ? (ref as () => SchemaRef)() : ref);

function asMember(ref: SchemaRef): Member {
  const value = deref(ref);
  if (Array.isArray(value) && value.length === 2) return { schema: deref(value[0]), traits: value[1] as Traits };
  return { schema: value, traits: 0 };
}

const xmlNameOf = (traits: Traits): string | undefined =>
  typeof traits === 'object' && typeof traits.xmlName === 'string' ? traits.xmlName : undefined;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** Kinds of static schema arrays, by their first element. */
const LIST = 1;
const MAP = 2;
const STRUCTURE = 3;
const SIMPLE_WITH_TRAITS = 0;
const LIST_BIT = 64;
const MAP_BIT = 128;

/** Appends `<name>value</name>` for `value` shaped by `schema`. Absent values write nothing. */
function writeValue(out: string[], name: string, schema: SchemaRef, value: unknown): void {
  if (value === undefined || value === null) return;
  let sc = deref(schema);
  if (Array.isArray(sc) && sc[0] === SIMPLE_WITH_TRAITS && sc.length >= 5) sc = deref(sc[4]);
  if (Array.isArray(sc)) {
    if (sc[0] === LIST) return writeList(out, name, sc[4], value);
    if (sc[0] === MAP) return writeMap(out, name, sc[5], value);
    if (sc[0] === STRUCTURE) return writeStructure(out, name, sc, value);
    throw new Error(`ec2-xml: unsupported schema kind ${String(sc[0])} for <${name}>`);
  }
  if (typeof sc === 'number' && sc >= MAP_BIT) return writeMap(out, name, sc & 0b0011_1111, value);
  if (typeof sc === 'number' && sc >= LIST_BIT) return writeList(out, name, sc & 0b0011_1111, value);
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

function writeList(out: string[], name: string, itemRef: SchemaRef, value: unknown): void {
  if (!Array.isArray(value)) throw new Error(`ec2-xml: <${name}> expects a list`);
  const item = asMember(itemRef);
  const itemName = xmlNameOf(item.traits) ?? 'member';
  out.push(`<${name}>`);
  for (const v of value) writeValue(out, itemName, item.schema, v);
  out.push(`</${name}>`);
}

function writeMap(out: string[], name: string, valueRef: SchemaRef, value: unknown): void {
  const entry = asMember(valueRef);
  out.push(`<${name}>`);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out.push(`<entry><key>${escapeXml(k)}</key>`);
    writeValue(out, xmlNameOf(entry.traits) ?? 'value', entry.schema, v);
    out.push('</entry>');
  }
  out.push(`</${name}>`);
}

function writeStructure(out: string[], name: string, sc: unknown[], value: unknown): void {
  out.push(`<${name}>`);
  writeMembers(out, sc, value as Record<string, unknown>);
  out.push(`</${name}>`);
}

function writeMembers(out: string[], sc: unknown[], value: Record<string, unknown>): void {
  const names = sc[4] as string[];
  const members = sc[5] as SchemaRef[];
  for (let i = 0; i < names.length; i++) {
    const memberName = names[i]!;
    const v = value[memberName];
    if (v === undefined || v === null) continue;
    const member = asMember(members[i]);
    writeValue(out, xmlNameOf(member.traits) ?? memberName, member.schema, v);
  }
}

/**
 * A whole EC2 reply: `<{Action}Response xmlns=…><requestId>…</requestId>…members…</…>`,
 * members shaped by the operation's output schema.
 */
export function ec2ResponseXml(
  action: string,
  outputSchema: SchemaRef,
  output: Record<string, unknown>,
  requestId: string,
): string {
  const sc = deref(outputSchema);
  if (!Array.isArray(sc) || sc[0] !== STRUCTURE) throw new Error(`ec2-xml: ${action} output is not a structure`);
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XML_NAMESPACE}">`,
    `<requestId>${requestId}</requestId>`,
  ];
  writeMembers(out, sc, output);
  out.push(`</${action}Response>`);
  return out.join('');
}

/** EC2's error envelope (note: `RequestID`, not `requestId`, as EC2 really spells it here). */
export function ec2ErrorXml(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}
