import type { DiscoveredResource } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import { type EvalCase, stateResource } from './case.js';
import type { ExpectedDrift } from './score.js';

/**
 * Blob containers and role assignments, hand-written from what Resource Graph returns (its
 * `Resources` and `AuthorizationResources` rows) and what azurerm 3.x and 4.x store: a private
 * container made public, one in sync in each provider version's shape, one deleted; role
 * assignments in sync with their role definition spelled with or without the subscription, one
 * deleted, and Owner granted on the subscription by hand.
 */

const SUB = '7c1d9e2a-4b3f-4a5c-9d8e-1f2a3b4c5d6e';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-media`;
const ACCOUNT = `${RG}/providers/Microsoft.Storage/storageAccounts/stmediaprod01`;
const CONTAINERS = `${ACCOUNT}/blobServices/default/containers`;
const ASSIGNMENTS = '/providers/Microsoft.Authorization/roleAssignments';
const ROLE = (guid: string, withSubscription: boolean) =>
  `${withSubscription ? `/subscriptions/${SUB}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const AUDITORS = '0a6f2c1e-58d4-4b8e-9f37-2e1d5c8b7a90';
const DEPLOYER = '4e8b3d2c-1f6a-4c9e-8b5d-7a2f0e9c3d14';
const INTRUDER = '9d1c7b5e-3a2f-4e6d-8c0b-5f4a3e2d1c0b';
const PROVIDER = 'provider["registry.terraform.io/hashicorp/azurerm"]';

type Attrs = Record<string, unknown>;

/** A Resource Graph row: no location (``) and no tags on either type. */
function row(type: string, id: string, properties: Attrs): DiscoveredResource {
  const name = id.slice(id.lastIndexOf('/') + 1);
  return {
    provider: 'azure',
    account: SUB,
    region: 'global',
    type,
    id,
    name,
    attributes: { id, name, type: type.toLowerCase(), location: '', resourceGroup: 'rg-media', tags: {}, properties },
    tags: {},
  };
}

const containerRow = (name: string, publicAccess: string, metadata: Attrs = {}) =>
  row('Microsoft.Storage/storageAccounts/blobServices/containers', `${CONTAINERS}/${name}`, {
    publicAccess,
    metadata,
    defaultEncryptionScope: '$account-encryption-key',
    denyEncryptionScopeOverride: false,
    hasImmutabilityPolicy: false,
    hasLegalHold: false,
    leaseState: 'Available',
    leaseStatus: 'Unlocked',
    lastModifiedTime: '2025-06-02T09:14:00.0000000Z',
  });

const assignmentRow = (scope: string, guid: string, role: string, principalId: string, principalType: string) =>
  row('Microsoft.Authorization/roleAssignments', `${scope}${ASSIGNMENTS}/${guid}`, {
    roleDefinitionId: ROLE(role, true),
    principalId,
    principalType,
    scope,
    condition: null,
    conditionVersion: null,
    createdOn: '2025-02-11T12:00:00.0000000Z',
    updatedOn: '2025-02-11T12:00:00.0000000Z',
    description: null,
  });

/** azurerm 3.x: `id` is the blob endpoint URL, `resource_manager_id` the ARM id. */
const containerV3 = (name: string, access: string, metadata: Attrs = {}): Attrs => ({
  id: `https://stmediaprod01.blob.core.windows.net/${name}`,
  name,
  storage_account_name: 'stmediaprod01',
  container_access_type: access,
  metadata,
  default_encryption_scope: '$account-encryption-key',
  encryption_scope_override_enabled: true,
  has_immutability_policy: false,
  has_legal_hold: false,
  resource_manager_id: `${CONTAINERS}/${name}`,
});
/** azurerm 4.x with storage_account_id: `id` is the ARM id too. */
const containerV4 = (name: string, access: string): Attrs => ({
  ...containerV3(name, access),
  id: `${CONTAINERS}/${name}`,
  storage_account_name: null,
  storage_account_id: ACCOUNT,
});

const assignment = (scope: string, guid: string, role: string, principalId: string, principalType: string): Attrs => ({
  id: `${scope}${ASSIGNMENTS}/${guid}`,
  name: guid,
  scope,
  role_definition_id: role,
  role_definition_name: '',
  principal_id: principalId,
  principal_type: principalType,
  condition: '',
  condition_version: '',
  description: '',
  delegated_managed_identity_resource_id: '',
  skip_service_principal_aad_check: false,
});

const resource = (type: string, name: string, attributes: Attrs) => stateResource(PROVIDER, type, name, attributes);

const SUBSCRIPTION = `/subscriptions/${SUB}`;
const IDS = {
  auditors: '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b',
  deployer: '2c3d4e5f-6071-4829-9bac-1d2e3f4a5b6c',
  removed: '3d4e5f60-7182-493a-acbd-2e3f4a5b6c7d',
  byHand: '4e5f6071-8293-4a4b-bdce-3f4a5b6c7d8e',
};

export function azureAccessCase(): EvalCase {
  const resources = [
    resource('azurerm_storage_container', 'assets', containerV4('assets', 'private')),
    resource('azurerm_storage_container', 'backups', containerV3('backups', 'private', { retention: '30d' })),
    resource('azurerm_storage_container', 'exports', containerV4('exports', 'private')),
    resource(
      'azurerm_role_assignment',
      'auditors',
      assignment(SUBSCRIPTION, IDS.auditors, ROLE(READER, true), AUDITORS, 'Group'),
    ),
    // Written with the role's tenant-wide id, as `data.azurerm_role_definition` gives it: the same role.
    resource(
      'azurerm_role_assignment',
      'deployer',
      assignment(RG, IDS.deployer, ROLE(CONTRIBUTOR, false), DEPLOYER, 'ServicePrincipal'),
    ),
    resource('azurerm_role_assignment', 'removed', assignment(RG, IDS.removed, ROLE(READER, true), AUDITORS, 'Group')),
  ];
  const inventory = [
    containerRow('assets', 'Blob'),
    containerRow('backups', 'None', { retention: '30d' }),
    assignmentRow(SUBSCRIPTION, IDS.auditors, READER, AUDITORS, 'Group'),
    assignmentRow(RG, IDS.deployer, CONTRIBUTOR, DEPLOYER.toUpperCase(), 'ServicePrincipal'),
    assignmentRow(SUBSCRIPTION, IDS.byHand, OWNER, INTRUDER, 'User'),
  ];
  const drift: ExpectedDrift[] = [
    {
      kind: 'changed',
      address: 'azurerm_storage_container.assets',
      id: `${CONTAINERS}/assets`,
      paths: ['container_access_type'],
    },
    { kind: 'missing', address: 'azurerm_storage_container.exports', id: `${CONTAINERS}/exports` },
    { kind: 'missing', address: 'azurerm_role_assignment.removed', id: `${RG}${ASSIGNMENTS}/${IDS.removed}` },
    { kind: 'unmanaged', id: `${SUBSCRIPTION}${ASSIGNMENTS}/${IDS.byHand}` },
  ];
  const state = { version: 4, terraform_version: '1.9.8', serial: 12, lineage: 'azure-access', outputs: {}, resources };
  return {
    name: 'azure blob containers and role assignments',
    states: [parseTerraformState(JSON.stringify(state), 'access.tfstate')],
    inventory,
    expected: { drift, noise: [] },
  };
}
