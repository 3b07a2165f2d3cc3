import type { Provider } from '../resource.js';

/**
 * One Terraform resource type DriftMgr discovers at the existence level: whether it is there,
 * not how it is configured. `cloudType` is the type the cloud's generic inventory lists it
 * under: a CloudFormation type for AWS Cloud Control (`AWS::S3::Bucket`), an ARM type for
 * Azure Resource Graph (`Microsoft.Web/sites`), a Cloud Asset type for GCP
 * (`pubsub.googleapis.com/Topic`).
 */
export interface ExistenceRow {
  provider: Provider;
  tfType: string;
  cloudType: string;
  /**
   * The cloud identifier written with state attributes: each `{attr}` is that top-level
   * attribute of the state instance. It renders Cloud Control's `Identifier` (`{name}`,
   * `{name}|{role}`), the ARM id (`{id}`) or the Cloud Asset name
   * (`//pubsub.googleapis.com/projects/{project}/topics/{name}`).
   */
  id: string;
}

const PLACEHOLDER = /\{([a-z0-9_]+)\}/g;

/** The state attributes an id template reads, in order. */
export function templateAttributes(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The template with each `{attr}` replaced by its string value; undefined when one is missing or empty. */
export function renderTemplate(template: string, values: Readonly<Record<string, unknown>>): string | undefined {
  let missing = false;
  const rendered = template.replace(PLACEHOLDER, (_, name: string) => {
    const v = values[name];
    if (typeof v !== 'string' || v === '') missing = true;
    return typeof v === 'string' ? v : '';
  });
  return missing ? undefined : rendered;
}

/** The attribute values an identifier was rendered from (the template read backwards), or undefined. */
export function parseTemplate(template: string, identifier: string): Record<string, string> | undefined {
  const names = templateAttributes(template);
  const pattern = template
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 === 1 ? '(.+?)' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  const match = new RegExp(`^${pattern}$`).exec(identifier);
  if (!match) return undefined;
  const values: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const value = match[i + 1]!;
    if (values[name] !== undefined && values[name] !== value) return undefined;
    values[name] = value;
  }
  return values;
}
