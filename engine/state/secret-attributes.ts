/**
 * Attributes that hold a secret whatever `sensitive_attributes` says: providers mark fewer
 * values sensitive than they hold (random_password.result before 3.x, tokens, keys, connection
 * strings), and states written before Terraform 0.15 list none at all. Each entry is a Terraform
 * type (`*` for any) and an attribute path, dot-separated, `*` for any list element or map key.
 */
export interface SecretAttribute {
  type: string;
  path: string;
}

export const SECRET_ATTRIBUTES: readonly SecretAttribute[] = [
  // Secrets Terraform generates itself.
  { type: 'random_password', path: 'result' },
  { type: 'random_password', path: 'bcrypt_hash' },
  { type: 'random_string', path: 'result' },
  { type: 'tls_private_key', path: 'private_key_pem' },
  { type: 'tls_private_key', path: 'private_key_pem_pkcs8' },
  { type: 'tls_private_key', path: 'private_key_openssh' },
  // Credentials a cloud hands back when the resource is created.
  { type: 'aws_iam_access_key', path: 'secret' },
  { type: 'aws_iam_access_key', path: 'ses_smtp_password_v4' },
  { type: 'aws_iam_user_login_profile', path: 'encrypted_password' },
  { type: 'aws_secretsmanager_secret_version', path: 'secret_string' },
  { type: 'aws_secretsmanager_secret_version', path: 'secret_binary' },
  { type: 'aws_ssm_parameter', path: 'value' },
  { type: 'azurerm_key_vault_secret', path: 'value' },
  { type: 'azurerm_storage_account', path: 'primary_access_key' },
  { type: 'azurerm_storage_account', path: 'secondary_access_key' },
  { type: 'azurerm_storage_account', path: 'primary_blob_connection_string' },
  { type: 'azurerm_storage_account', path: 'secondary_blob_connection_string' },
  { type: 'azurerm_kubernetes_cluster', path: 'kube_config_raw' },
  { type: 'azurerm_kubernetes_cluster', path: 'kube_admin_config_raw' },
  { type: 'azurerm_kubernetes_cluster', path: 'kube_config.*.client_key' },
  { type: 'azurerm_kubernetes_cluster', path: 'kube_config.*.password' },
  { type: 'azurerm_kubernetes_cluster', path: 'kube_admin_config.*.client_key' },
  { type: 'azurerm_kubernetes_cluster', path: 'kube_admin_config.*.password' },
  { type: 'google_service_account_key', path: 'private_key' },
  { type: 'google_secret_manager_secret_version', path: 'secret_data' },
  // Names that mean a secret on any resource type.
  { type: '*', path: 'password' },
  { type: '*', path: 'master_password' },
  { type: '*', path: 'admin_password' },
  { type: '*', path: 'administrator_login_password' },
  { type: '*', path: 'secret' },
  { type: '*', path: 'client_secret' },
  { type: '*', path: 'access_key' },
  { type: '*', path: 'secret_key' },
  { type: '*', path: 'secret_access_key' },
  { type: '*', path: 'token' },
  { type: '*', path: 'auth_token' },
  { type: '*', path: 'access_token' },
  { type: '*', path: 'private_key' },
  { type: '*', path: 'private_key_pem' },
  { type: '*', path: 'connection_string' },
  { type: '*', path: 'primary_connection_string' },
  { type: '*', path: 'secondary_connection_string' },
];

const ANY_TYPE = '*';

/** Paths as steps, grouped by type, so an instance looks at its own type's entries and the `*` ones. */
const STEPS_BY_TYPE: ReadonlyMap<string, readonly string[][]> = (() => {
  const byType = new Map<string, string[][]>();
  for (const { type, path } of SECRET_ATTRIBUTES) {
    const list = byType.get(type) ?? [];
    list.push(path.split('.'));
    byType.set(type, list);
  }
  return byType;
})();

const ANY_TYPE_PATHS = STEPS_BY_TYPE.get(ANY_TYPE) ?? [];
/** The `*` paths and each listed type's own, joined once per listed type. */
const PATHS_BY_TYPE: ReadonlyMap<string, readonly string[][]> = new Map(
  [...STEPS_BY_TYPE]
    .filter(([type]) => type !== ANY_TYPE)
    .map(([type, steps]) => [type, [...ANY_TYPE_PATHS, ...steps]]),
);

/** Every secret path that applies to this type, as steps. */
export function secretPathsOf(tfType: string): readonly string[][] {
  return PATHS_BY_TYPE.get(tfType) ?? ANY_TYPE_PATHS;
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** Calls `visit` with the parent and key of every value the steps reach (`*` fans out). */
export function forEachAtPath(
  node: unknown,
  steps: readonly string[],
  visit: (parent: Container, key: string | number) => void,
): void {
  if (!isContainer(node) || steps.length === 0) return;
  const [step, ...rest] = steps as [string, ...string[]];
  const keys: (string | number)[] =
    step === '*'
      ? Array.isArray(node)
        ? node.map((_, i) => i)
        : Object.keys(node)
      : [Array.isArray(node) ? Number(step) : step];
  for (const key of keys) {
    const child = (node as Record<string | number, unknown>)[key];
    if (child === undefined) continue;
    if (rest.length === 0) visit(node, key);
    else forEachAtPath(child, rest, visit);
  }
}

/** Whether this instance holds a non-null value at any secret path of its type. */
export function holdsKnownSecret(tfType: string, attributes: Record<string, unknown>): boolean {
  let found = false;
  for (const steps of secretPathsOf(tfType)) {
    forEachAtPath(attributes, steps, (parent, key) => {
      if ((parent as Record<string | number, unknown>)[key] !== null) found = true;
    });
    if (found) return true;
  }
  return false;
}
