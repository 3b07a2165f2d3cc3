import type { DriftKind } from '../types.js';
import type { RiskSubject } from './assess.js';

/**
 * Golden drifts and near misses for the rules in inventory-rules.ts, in the canonical values
 * the diff reports (expected from state, actual from the cloud); rules.test.ts runs them.
 */

export type RuleCase = [rule: string, name: string, golden: RiskSubject, nearMiss: RiskSubject];

const one = (kind: DriftKind, tfType: string, path: string, expected: unknown, actual: unknown): RiskSubject => ({
  kind,
  tfType,
  values: [{ path, expected, actual }],
});
const changed = (tfType: string, path: string, expected: unknown, actual: unknown) =>
  one('changed', tfType, path, expected, actual);

const SQL_NETWORKS = 'settings.0.ip_configuration.0.authorized_networks';
const AKS_RANGES = 'api_server_access_profile.0.authorized_ip_ranges';
const GKE_BLOCKS = 'master_authorized_networks_config.0.cidr_blocks';
const OFFICE = '203.0.113.0/24';

const SUBSCRIPTION = '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590';
/** An unmanaged role assignment as discovery reports it: every mapped value, canonical, on the cloud side. */
const grant = (role: string, scope: string): RiskSubject => ({
  kind: 'unmanaged',
  tfType: 'azurerm_role_assignment',
  values: [
    { path: 'scope', expected: undefined, actual: scope },
    { path: 'role_definition_id', expected: undefined, actual: role },
    { path: 'principal_id', expected: undefined, actual: '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f' },
  ],
});

export const INVENTORY_RULE_CASES: readonly RuleCase[] = [
  [
    'subscription-owner-granted',
    'Owner granted by hand on the whole subscription',
    grant('Owner', SUBSCRIPTION),
    grant('Owner', `${SUBSCRIPTION}/resourcegroups/rg-orders-prod-eastus`),
  ],
  [
    'subscription-owner-granted',
    "a managed assignment's role changed to Owner on the subscription",
    {
      kind: 'changed',
      tfType: 'azurerm_role_assignment',
      values: [
        { path: 'role_definition_id', expected: 'Reader', actual: 'Owner' },
        { path: 'scope', expected: SUBSCRIPTION, actual: SUBSCRIPTION },
      ],
    },
    grant('Reader', SUBSCRIPTION),
  ],
  [
    'subscription-contributor-granted',
    'Contributor granted by hand on the whole subscription',
    grant('Contributor', SUBSCRIPTION),
    grant('Contributor', `${SUBSCRIPTION}/resourcegroups/rg-billing-dev-westeurope`),
  ],
  [
    'storage-container-made-public',
    'a private blob container opened to anonymous reads',
    changed('azurerm_storage_container', 'container_access_type', 'private', 'blob'),
    changed('azurerm_storage_container', 'container_access_type', 'blob', 'container'),
  ],
  [
    'allow-list-open-to-world',
    'a Cloud SQL instance authorising 0.0.0.0/0',
    changed('google_sql_database_instance', SQL_NETWORKS, [OFFICE], [OFFICE, '0.0.0.0/0']),
    changed('google_sql_database_instance', SQL_NETWORKS, [OFFICE], [OFFICE, '198.51.100.7/32']),
  ],
  [
    'allow-list-open-to-world',
    'an unmanaged GKE cluster whose API anyone may reach',
    one('unmanaged', 'google_container_cluster', GKE_BLOCKS, undefined, ['0.0.0.0/0']),
    one('unmanaged', 'google_container_cluster', GKE_BLOCKS, undefined, [OFFICE]),
  ],
  [
    'control-plane-allow-list-removed',
    'an AKS API server allow-list emptied',
    changed('azurerm_kubernetes_cluster', AKS_RANGES, [OFFICE], undefined),
    changed('azurerm_kubernetes_cluster', AKS_RANGES, [OFFICE], ['198.51.100.0/24']),
  ],
  [
    'public-network-access-enabled',
    'public network access turned on for a SQL server',
    changed('azurerm_mssql_server', 'public_network_access_enabled', false, true),
    changed('azurerm_mssql_server', 'public_network_access_enabled', true, false),
  ],
  [
    'public-network-access-enabled',
    'a public IPv4 address given to a Cloud SQL instance',
    changed('google_sql_database_instance', 'settings.0.ip_configuration.0.ipv4_enabled', false, true),
    changed('google_sql_database_instance', 'settings.0.ip_configuration.0.ipv4_enabled', true, false),
  ],
  [
    'firewall-default-allow',
    'a Key Vault firewall set to allow by default',
    changed('azurerm_key_vault', 'network_acls.0.default_action', 'Deny', 'Allow'),
    changed('azurerm_key_vault', 'network_acls.0.default_action', 'Allow', 'Deny'),
  ],
  [
    'private-cluster-disabled',
    'GKE nodes given public addresses',
    changed('google_container_cluster', 'private_cluster_config.0.enable_private_nodes', true, false),
    changed('google_container_cluster', 'private_cluster_config.0.enable_private_nodes', false, true),
  ],
  [
    'legacy-abac-enabled',
    'legacy ABAC turned on for a GKE cluster',
    changed('google_container_cluster', 'enable_legacy_abac', false, true),
    changed('google_container_cluster', 'enable_legacy_abac', true, false),
  ],
  [
    'cluster-rbac-disabled',
    'RBAC turned off on AKS',
    changed('azurerm_kubernetes_cluster', 'role_based_access_control_enabled', true, false),
    changed('azurerm_kubernetes_cluster', 'role_based_access_control_enabled', false, true),
  ],
  [
    'tls-minimum-lowered',
    'a SQL server accepting TLS 1.0',
    changed('azurerm_mssql_server', 'minimum_tls_version', '1.2', '1.0'),
    changed('azurerm_mssql_server', 'minimum_tls_version', '1.1', '1.2'),
  ],
  [
    'ssl-no-longer-required',
    'a Cloud SQL instance no longer requiring SSL',
    changed('google_sql_database_instance', 'settings.0.ip_configuration.0.require_ssl', true, false),
    changed('google_sql_database_instance', 'settings.0.ip_configuration.0.require_ssl', false, true),
  ],
  [
    'ssl-mode-weakened',
    'a Cloud SQL instance allowing unencrypted connections',
    changed(
      'google_sql_database_instance',
      'settings.0.ip_configuration.0.ssl_mode',
      'ENCRYPTED_ONLY',
      'ALLOW_UNENCRYPTED_AND_ENCRYPTED',
    ),
    changed(
      'google_sql_database_instance',
      'settings.0.ip_configuration.0.ssl_mode',
      'ALLOW_UNENCRYPTED_AND_ENCRYPTED',
      'ENCRYPTED_ONLY',
    ),
  ],
  [
    'app-https-only-disabled',
    'a Linux web app serving plain HTTP',
    changed('azurerm_linux_web_app', 'https_only', true, false),
    changed('azurerm_linux_web_app', 'https_only', false, true),
  ],
  [
    'purge-protection-disabled',
    'Key Vault purge protection turned off',
    changed('azurerm_key_vault', 'purge_protection_enabled', true, false),
    changed('azurerm_key_vault', 'purge_protection_enabled', false, true),
  ],
  [
    'registry-open-access',
    'a container registry with anonymous pull',
    changed('azurerm_container_registry', 'anonymous_pull_enabled', false, true),
    changed('azurerm_container_registry', 'anonymous_pull_enabled', true, false),
  ],
  [
    'database-backups-disabled',
    'Cloud SQL backups turned off',
    changed('google_sql_database_instance', 'settings.0.backup_configuration.0.enabled', true, false),
    changed('google_sql_database_instance', 'settings.0.backup_configuration.0.enabled', false, true),
  ],
  [
    'database-deletion-protection-removed',
    'Cloud SQL deletion protection removed',
    changed('google_sql_database_instance', 'settings.0.deletion_protection_enabled', true, false),
    changed('google_sql_database_instance', 'settings.0.deletion_protection_enabled', false, true),
  ],
  [
    'push-endpoint-changed',
    'a subscription pushing to another URL',
    changed(
      'google_pubsub_subscription',
      'push_config.0.push_endpoint',
      'https://hooks.example.com/a',
      'https://collector.example.net/x',
    ),
    changed('google_pubsub_subscription', 'ack_deadline_seconds', 10, 30),
  ],
  [
    'service-ingress-widened',
    'an internal Cloud Run service opened to all traffic',
    changed('google_cloud_run_v2_service', 'ingress', 'INGRESS_TRAFFIC_INTERNAL_ONLY', 'INGRESS_TRAFFIC_ALL'),
    changed('google_cloud_run_v2_service', 'ingress', 'INGRESS_TRAFFIC_ALL', 'INGRESS_TRAFFIC_INTERNAL_ONLY'),
  ],
  [
    'local-accounts-enabled',
    'AKS local accounts enabled again',
    changed('azurerm_kubernetes_cluster', 'local_account_disabled', true, false),
    changed('azurerm_kubernetes_cluster', 'local_account_disabled', false, true),
  ],
  [
    'gcp-public-member-granted',
    "a bucket's objects opened to allUsers by hand, on the bucket's binding",
    changed(
      'google_storage_bucket_iam_binding',
      'members',
      ['roles/storage.objectViewer group:data@example.com'],
      ['roles/storage.objectViewer allUsers', 'roles/storage.objectViewer group:data@example.com'],
    ),
    changed(
      'google_storage_bucket_iam_binding',
      'members',
      ['roles/storage.objectViewer group:data@example.com'],
      ['roles/storage.objectViewer group:data@example.com', 'roles/storage.objectViewer user:ana@example.com'],
    ),
  ],
  [
    'gcp-public-member-granted',
    'an unmanaged project member allAuthenticatedUsers',
    one('unmanaged', 'google_project_iam_member', 'member', [], ['roles/viewer allAuthenticatedUsers']),
    one('unmanaged', 'google_project_iam_member', 'member', [], ['roles/viewer group:search@example.com']),
  ],
  [
    'gcp-owner-or-editor-granted',
    'Owner added by hand to a project policy Terraform manages whole',
    changed(
      'google_project_iam_policy',
      'policy_data',
      ['roles/viewer group:data@example.com'],
      ['roles/owner user:mallory@example.com', 'roles/viewer group:data@example.com'],
    ),
    changed(
      'google_project_iam_policy',
      'policy_data',
      ['roles/owner group:platform-admins@example.com', 'roles/viewer group:data@example.com'],
      ['roles/owner group:platform-admins@example.com'],
    ),
  ],
  [
    'gcp-owner-or-editor-granted',
    'an unmanaged Editor member on a project',
    one('unmanaged', 'google_project_iam_member', 'member', [], ['roles/editor user:ci-bot@example.com']),
    one('unmanaged', 'google_project_iam_member', 'member', [], ['roles/browser user:ci-bot@example.com']),
  ],
  [
    'route-changed',
    'a route sent through another next hop',
    changed('google_compute_route', 'next_hop_ip', '10.0.0.5', '10.0.9.9'),
    changed('google_compute_route', 'description', 'egress', 'egress proxy'),
  ],
];
