import type { RiskRule } from './rule-types.js';

/**
 * Risk rules of the Azure and GCP types read from Resource Graph and Cloud Asset
 * (mappings/azure-inventory.ts, gcp-inventory.ts): data services opened to the internet,
 * network allow-lists widened or dropped, TLS and SSL requirements lowered, recovery and
 * access-control safeguards turned off.
 */

const WEB_APPS = ['azurerm_linux_web_app', 'azurerm_windows_web_app'] as const;
const forWebApps = (paths: string[]) => Object.fromEntries(WEB_APPS.map((t) => [t, paths]));

/** Allow-lists of who may reach a control plane or database: empty means anyone on the internet. */
const CONTROL_PLANE_ALLOW_LISTS = {
  azurerm_kubernetes_cluster: ['api_server_access_profile.0.authorized_ip_ranges'],
  google_container_cluster: ['master_authorized_networks_config.0.cidr_blocks'],
};

/** A role assignment's scope (canonical: lower case) that is a whole subscription. */
const SUBSCRIPTION_SCOPE = { path: 'scope', pattern: /^\/subscriptions\/[^/]+$/ };

/** What each GCP IAM type's drift lists as `role member` pairs (split/iam-policy.ts). */
const IAM_PAIRS = Object.fromEntries(
  ['project', 'storage_bucket'].flatMap((holder) => [
    [`google_${holder}_iam_policy`, ['policy_data']],
    [`google_${holder}_iam_binding`, ['members']],
    [`google_${holder}_iam_member`, ['member']],
  ]),
);

export const INVENTORY_RISK_RULES: readonly RiskRule[] = [
  {
    id: 'gcp-public-member-granted',
    title: 'IAM role granted to allUsers or allAuthenticatedUsers: anyone on the internet',
    severity: 'critical',
    score: 95,
    kinds: ['changed', 'unmanaged'],
    test: { grants: / (allUsers|allAuthenticatedUsers)$/ },
    targets: IAM_PAIRS,
  },
  {
    id: 'gcp-owner-or-editor-granted',
    title: 'Basic role Owner or Editor granted outside Terraform',
    severity: 'high',
    score: 85,
    kinds: ['changed', 'unmanaged'],
    test: { grants: /^roles\/(owner|editor) / },
    targets: IAM_PAIRS,
  },
  {
    id: 'subscription-owner-granted',
    title: 'Owner granted on a whole subscription',
    severity: 'critical',
    score: 95,
    kinds: ['changed', 'unmanaged'],
    test: { right: 'Owner' },
    targets: { azurerm_role_assignment: ['role_definition_id'] },
    where: SUBSCRIPTION_SCOPE,
  },
  {
    id: 'subscription-contributor-granted',
    title: 'Contributor granted on a whole subscription',
    severity: 'high',
    score: 85,
    kinds: ['changed', 'unmanaged'],
    test: { right: 'Contributor' },
    targets: { azurerm_role_assignment: ['role_definition_id'] },
    where: SUBSCRIPTION_SCOPE,
  },
  {
    id: 'storage-container-made-public',
    title: 'Blob container made public: anyone can read its blobs',
    severity: 'critical',
    score: 90,
    kinds: ['changed'],
    test: { left: 'private' },
    targets: { azurerm_storage_container: ['container_access_type'] },
  },
  {
    id: 'allow-list-open-to-world',
    title: 'Network allow-list opened to the whole internet',
    severity: 'critical',
    score: 95,
    kinds: ['changed', 'unmanaged'],
    test: 'opens-world',
    targets: {
      ...CONTROL_PLANE_ALLOW_LISTS,
      google_sql_database_instance: ['settings.0.ip_configuration.0.authorized_networks'],
      azurerm_key_vault: ['network_acls.0.ip_rules'],
    },
  },
  {
    id: 'control-plane-allow-list-removed',
    title: 'Cluster API allow-list removed: reachable from anywhere',
    severity: 'high',
    score: 80,
    kinds: ['changed'],
    test: 'removed',
    targets: CONTROL_PLANE_ALLOW_LISTS,
  },
  {
    id: 'public-network-access-enabled',
    title: 'Public network access enabled',
    severity: 'high',
    score: 80,
    kinds: ['changed', 'unmanaged'],
    test: 'turned-on',
    targets: {
      azurerm_mssql_server: ['public_network_access_enabled'],
      azurerm_key_vault: ['public_network_access_enabled'],
      azurerm_container_registry: ['public_network_access_enabled'],
      ...forWebApps(['public_network_access_enabled']),
      google_sql_database_instance: ['settings.0.ip_configuration.0.ipv4_enabled'],
    },
  },
  {
    id: 'firewall-default-allow',
    title: 'Firewall default action no longer denies',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: { left: 'Deny' },
    targets: { azurerm_key_vault: ['network_acls.0.default_action'] },
  },
  {
    id: 'private-cluster-disabled',
    title: 'Cluster no longer private',
    severity: 'high',
    score: 80,
    kinds: ['changed'],
    test: 'turned-off',
    targets: {
      azurerm_kubernetes_cluster: ['private_cluster_enabled'],
      google_container_cluster: ['private_cluster_config.0.enable_private_nodes'],
    },
  },
  {
    id: 'legacy-abac-enabled',
    title: 'Legacy ABAC enabled: cluster authorization bypasses RBAC',
    severity: 'critical',
    score: 90,
    kinds: ['changed', 'unmanaged'],
    test: 'turned-on',
    targets: { google_container_cluster: ['enable_legacy_abac'] },
  },
  {
    id: 'cluster-rbac-disabled',
    title: 'Kubernetes RBAC turned off',
    severity: 'critical',
    score: 90,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { azurerm_kubernetes_cluster: ['role_based_access_control_enabled'] },
  },
  {
    id: 'tls-minimum-lowered',
    title: 'Minimum TLS version lowered below 1.2',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: { left: '1.2' },
    targets: {
      azurerm_mssql_server: ['minimum_tls_version'],
      ...forWebApps(['site_config.0.minimum_tls_version']),
    },
  },
  {
    id: 'ssl-no-longer-required',
    title: 'Database no longer requires SSL',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { google_sql_database_instance: ['settings.0.ip_configuration.0.require_ssl'] },
  },
  {
    id: 'ssl-mode-weakened',
    title: 'Database accepts connections that are not encrypted',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: { left: 'ENCRYPTED_ONLY' },
    targets: { google_sql_database_instance: ['settings.0.ip_configuration.0.ssl_mode'] },
  },
  {
    id: 'app-https-only-disabled',
    title: 'Web app serves plain HTTP',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: 'turned-off',
    targets: forWebApps(['https_only']),
  },
  {
    id: 'purge-protection-disabled',
    title: 'Key Vault purge protection off: deleted keys and secrets can be purged at once',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { azurerm_key_vault: ['purge_protection_enabled'] },
  },
  {
    id: 'registry-open-access',
    title: 'Container registry admin user or anonymous pull enabled',
    severity: 'high',
    score: 75,
    kinds: ['changed'],
    test: 'turned-on',
    targets: { azurerm_container_registry: ['admin_enabled', 'anonymous_pull_enabled'] },
  },
  {
    id: 'database-backups-disabled',
    title: 'Database backups turned off',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { google_sql_database_instance: ['settings.0.backup_configuration.0.enabled'] },
  },
  {
    id: 'database-deletion-protection-removed',
    title: 'Database deletion protection removed',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { google_sql_database_instance: ['settings.0.deletion_protection_enabled'] },
  },
  {
    id: 'push-endpoint-changed',
    title: 'Subscription pushes messages to another endpoint',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: 'any',
    targets: { google_pubsub_subscription: ['push_config.0.push_endpoint'] },
  },
  {
    id: 'service-ingress-widened',
    title: 'Cloud Run service accepts traffic from outside the network',
    severity: 'high',
    score: 70,
    kinds: ['changed'],
    test: { left: 'INGRESS_TRAFFIC_INTERNAL_ONLY' },
    targets: { google_cloud_run_v2_service: ['ingress'] },
  },
  {
    id: 'local-accounts-enabled',
    title: 'Cluster local accounts enabled again',
    severity: 'medium',
    score: 55,
    kinds: ['changed'],
    test: 'turned-off',
    targets: { azurerm_kubernetes_cluster: ['local_account_disabled'] },
  },
  {
    id: 'route-changed',
    title: 'Traffic routed elsewhere',
    severity: 'medium',
    score: 50,
    kinds: ['changed'],
    test: 'any',
    targets: {
      google_compute_route: ['dest_range', 'next_hop_gateway', 'next_hop_ip', 'next_hop_instance', 'next_hop_ilb'],
    },
  },
];
