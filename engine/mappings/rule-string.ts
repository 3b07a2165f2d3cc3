/**
 * Firewall-style rules (security group permissions, NSG rules, NACL entries, routes) are
 * compared as sets of one-line strings `key=value key=value`: readable in reports, order-free,
 * and parseable back into Terraform blocks by the state writer and codify.
 */

function quote(value: string): string {
  return value === '' || /[\s"=]/.test(value) ? JSON.stringify(value) : value;
}

export function formatRule(fields: Record<string, string | number | boolean | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') parts.push(`${k}=${quote(String(v))}`);
  return parts.join(' ');
}

export function parseRule(rule: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of rule.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const raw = m[2]!;
    out[m[1]!] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  }
  return out;
}
