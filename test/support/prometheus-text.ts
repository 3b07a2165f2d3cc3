/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a HELP or
 * TYPE comment or a sample of a family declared before it, or it throws naming the line.
 */
export interface Family {
  help: string;
  type: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (-?[0-9.e+-]+|NaN|\\+Inf|-Inf)$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
const SUFFIXES = ['_bucket', '_sum', '_count'];

export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    const help = line.match(HELP);
    const type = line.match(TYPE);
    const sample = line.match(SAMPLE);
    if (help) family(families, help[1]!).help = help[2]!;
    else if (type) family(families, type[1]!).type = type[2]!;
    else if (sample) {
      const [, name, labels, value] = sample as unknown as [string, string, string | undefined, string];
      const owner = familyOf(families, name);
      if (!owner) throw new Error(`sample before its HELP/TYPE: ${line}`);
      owner.samples.push({
        name,
        labels: parseLabels(labels ?? '', line),
        value: Number(value.replace('Inf', 'Infinity')),
      });
    } else throw new Error(`not a line of the text format: ${JSON.stringify(line)}`);
  }
  return families;
}

/** The value of the one sample with exactly these labels, or 0 when there is none. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const f = familyOf(families, name);
  const s = f?.samples.find((s) => s.name === name && sameLabels(s.labels, labels));
  return s?.value ?? 0;
}

/** The sum of a series' samples whose labels include these. */
export function sumOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const samples = familyOf(families, name)?.samples ?? [];
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

function family(families: Map<string, Family>, name: string): Family {
  let f = families.get(name);
  if (!f) families.set(name, (f = { help: '', type: '', samples: [] }));
  return f;
}

function familyOf(families: Map<string, Family>, series: string): Family | undefined {
  const exact = families.get(series);
  if (exact) return exact;
  const suffix = SUFFIXES.find((s) => series.endsWith(s));
  const base = suffix ? families.get(series.slice(0, -suffix.length)) : undefined;
  return base?.type === 'histogram' ? base : undefined;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text);
    if (!m) throw new Error(`malformed labels: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\([\\"n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
