/** Terraform's printed address of one instance: `module.a.aws_instance.web["k"]`. */
export function instanceAddress(
  module: string | undefined,
  tfType: string,
  name: string,
  indexKey?: string | number,
): string {
  const base = `${module ? `${module}.` : ''}${tfType}.${name}`;
  if (indexKey === undefined) return base;
  return typeof indexKey === 'number' ? `${base}[${indexKey}]` : `${base}[${JSON.stringify(indexKey)}]`;
}
