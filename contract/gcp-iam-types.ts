/**
 * GCP IAM policies as DriftMgr discovers them: one resource per project and per bucket, read
 * from Cloud Asset ListAssets with `contentType: IAM_POLICY` (the asset's `iamPolicy`), typed
 * by the asset that holds the policy. Its id is the holding asset's name, a project's spelled
 * with its id (`//cloudresourcemanager.googleapis.com/projects/<project id>`), as the listing is
 * of that one project; its attributes are `{ bindings: [{ role, members }] }`.
 */
export const GCP_IAM_POLICY_TYPES: Readonly<Record<string, string>> = {
  'cloudresourcemanager.googleapis.com/ProjectIamPolicy': 'cloudresourcemanager.googleapis.com/Project',
  'storage.googleapis.com/BucketIamPolicy': 'storage.googleapis.com/Bucket',
};

/** The asset type ListAssets is asked for to list a policy type; undefined for any other type. */
export const iamPolicyAssetType = (type: string): string | undefined =>
  Object.hasOwn(GCP_IAM_POLICY_TYPES, type) ? GCP_IAM_POLICY_TYPES[type] : undefined;

const PROJECT_ASSET = 'cloudresourcemanager.googleapis.com/Project';

/** A policy's id: its asset's name, but a project's named by id (ListAssets names it by number) from the project listed. */
export const iamPolicyId = (assetType: string, assetName: string, project: string): string =>
  assetType === PROJECT_ASSET ? `//cloudresourcemanager.googleapis.com/projects/${project}` : assetName;
