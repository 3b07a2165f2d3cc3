import type { DiscoveredResource } from '../../contract/resource.js';
import { convert } from '../mappings/converters.js';
import { mappingForTfType } from '../mappings/index.js';
import type { AttributeChange, DriftItem } from '../types.js';
import { isRecord } from '../util/json.js';
import { codifyBlock, hclArgument } from './codify.js';
import { plainLine } from './escape.js';

/**
 * "The Terraform to fix it", one snippet per drift item, written as Terraform users act:
 * changed — keep the cloud's values in configuration, or apply to restore the state's;
 * missing — apply to recreate it, or a `removed` block to forget it;
 * unmanaged — codify's import block.
 * Addresses, paths and values come from a state, the cloud or an imported export: an address is
 * used only when it is a well-formed Terraform address, values only as escaped HCL literals
 * (hclArgument), and everything else only inside one-line comments (plainLine).
 */
const IDENT = '[A-Za-z_][A-Za-z0-9_-]*';
/** An instance key: a count index or a for_each string without control characters. */
const KEY = String.raw`\[(?:\d+|"(?:[^"\\\u0000-\u001f\u007f]|\\[^\u0000-\u001f\u007f])*")\]`;
const ADDRESS = new RegExp(`^((?:module\\.${IDENT}(?:${KEY})?\\.)*)(${IDENT})\\.(${IDENT})(?:${KEY})?$`);
const INSTANCE_KEYS = new RegExp(KEY, 'g');
const ARGUMENT = new RegExp(`^${IDENT}$`);

interface Address {
  text: string;
  /** `module.a["x"].` or empty. */
  modulePath: string;
  type: string;
  name: string;
}

function parseAddress(address: string): Address | undefined {
  // plainLine changes line breaks, controls and bidi overrides: none belongs in an address.
  const m = plainLine(address) === address ? ADDRESS.exec(address) : null;
  return m ? { text: address, modulePath: m[1]!, type: m[2]!, name: m[3]! } : undefined;
}

/** A shell single-quoted word: `'` is the only character to escape there. */
function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

const applyTarget = (a: Address) => `# terraform apply -target=${shellQuoted(a.text)}`;

/** Values diff could only report as a digest (sensitive in state, or too large to keep). */
const isOpaque = (v: unknown) => isRecord(v) && ('$sensitive' in v || '$digest' in v);

/** Each change as a line of the resource block: an argument, or a comment when it is not one. */
function changeLines(tfType: string, changes: readonly AttributeChange[]): string[] {
  const mapping = mappingForTfType(tfType);
  return changes
    .filter((c) => c.noise_rule === undefined)
    .map((c) => {
      if (!ARGUMENT.test(c.path)) return `  # ${plainLine(c.path)} is nested: set it inside its block.`;
      if (isOpaque(c.actual))
        return `  # ${c.path}: the cloud's value is not shown (sensitive or too large); set it from the cloud.`;
      const toTf = mapping?.attributes.find((a) => a.tf === c.path)?.toTf;
      return hclArgument(c.path, toTf ? convert(toTf, c.actual, {}) : c.actual);
    });
}

function changedFix(item: DriftItem, a: Address): string {
  const where = a.modulePath ? [`# The block is in the configuration of ${a.modulePath.slice(0, -1)}.`] : [];
  return [
    `# ${a.text} differs from the cloud. Fix it one of two ways:`,
    '#',
    "# (a) Keep the cloud's values: set these arguments in the resource's block, then plan.",
    ...where,
    `resource "${a.type}" "${a.name}" {`,
    ...changeLines(item.tf_type, item.changes),
    '}',
    '',
    '# (b) Restore what the state says: apply the configuration to this resource only.',
    applyTarget(a),
    '',
  ].join('\n');
}

function missingFix(item: DriftItem, a: Address): string {
  const from = a.text.replace(INSTANCE_KEYS, '');
  const state = item.state_source ? [`# State: ${plainLine(item.state_source)}`] : [];
  const everyInstance =
    from === a.text ? [] : ['# `removed` takes no instance key: it forgets every instance of the resource.'];
  return [
    `# ${a.text} is in Terraform state but gone from the cloud. Fix it one of two ways:`,
    ...state,
    '#',
    '# (a) Recreate it: apply the configuration to this resource only.',
    applyTarget(a),
    '',
    '# (b) Forget it (Terraform >= 1.7): delete its resource block, add this one, then apply;',
    '# Terraform drops it from state and destroys nothing.',
    ...everyInstance,
    'removed {',
    `  from = ${from}`,
    '  lifecycle {',
    '    destroy = false',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * The item's fix. An unmanaged item needs its discovered resource (the inventory row its
 * resource_key names) for codify's import block.
 */
export function fixSnippet(item: DriftItem, resource?: DiscoveredResource): string {
  if (item.kind === 'unmanaged') {
    const block = resource && codifyBlock(resource);
    return (
      block ??
      '# Codify has no import block for this resource (its type cannot be imported, or it is no longer in the inventory).\n'
    );
  }
  const address = parseAddress(item.address);
  if (!address) return "# No fix is written: the item's address is not a Terraform resource address.\n";
  return item.kind === 'changed' ? changedFix(item, address) : missingFix(item, address);
}
