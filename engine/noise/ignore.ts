import { compileGlob, type Glob } from '../util/glob.js';
import { type Condition, conditionHolds } from './condition.js';

/**
 * What the user chose not to see: a driftctl-compatible `.driftignore` (one gitignore-style
 * pattern per line over `tf_type.id`, or `tf_type.id.attribute.path` for one attribute;
 * `*` wildcards, `!` re-includes, last matching line wins, `#` comments, `\.` a literal dot)
 * plus attribute-level rules kept as data.
 */
export interface AttributeIgnoreRule {
  /** Glob over the Terraform type or the cloud type. */
  type: string;
  /** Glob over the attribute path, e.g. `tags` or `metadata_options.*`. */
  path: string;
  /** Only when the discovered resource satisfies this. */
  when?: Condition;
}

export interface IgnoreSpec {
  driftignore?: string;
  rules?: AttributeIgnoreRule[];
}

interface Line {
  negate: boolean;
  pattern: Glob;
}

export interface IgnoreMatcher {
  ignoresResource(tfType: string, id: string): boolean;
  ignoresAttribute(
    tfType: string,
    cloudType: string,
    id: string,
    path: string,
    cloudAttributes: Record<string, unknown> | undefined,
  ): boolean;
}

export function parseDriftignore(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    lines.push({ negate, pattern: compileGlob(negate ? line.slice(1) : line) });
  }
  return lines;
}

/** gitignore semantics: the last line that matches decides. */
function lastVerdict(lines: readonly Line[], subject: string): boolean | undefined {
  let verdict: boolean | undefined;
  for (const l of lines) if (l.pattern.test(subject)) verdict = !l.negate;
  return verdict;
}

export function compileIgnore(spec: IgnoreSpec | undefined): IgnoreMatcher {
  const lines = parseDriftignore(spec?.driftignore ?? '');
  const rules = (spec?.rules ?? []).map((r) => ({
    ...r,
    typeGlob: compileGlob(r.type),
    pathGlob: compileGlob(r.path),
  }));
  return {
    ignoresResource: (tfType, id) => lines.length > 0 && lastVerdict(lines, `${tfType}.${id}`) === true,
    ignoresAttribute: (tfType, cloudType, id, path, cloudAttributes) => {
      if (lines.length > 0 && lastVerdict(lines, `${tfType}.${id}.${path}`) === true) return true;
      return rules.some(
        (r) =>
          (r.typeGlob.test(tfType) || r.typeGlob.test(cloudType)) &&
          r.pathGlob.test(path) &&
          (!r.when || (cloudAttributes !== undefined && conditionHolds(r.when, cloudAttributes))),
      );
    },
  };
}
