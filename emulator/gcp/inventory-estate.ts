import type { DiscoveredResource } from '../../contract/resource.js';
import { chance, digits, hex, int, pick } from '../rng.js';
import type { CloudEstateGenerator, Rng } from '../types.js';
import { projectNumber } from './asset-types.js';

/**
 * The GCP types Cloud Asset lists with their `resource.data` and DriftMgr diffs attribute by
 * attribute (contract/inventory-attribute-types.ts): per project a service account, Pub/Sub
 * topics with a subscription, a route and a global address; per region Cloud SQL instances,
 * GKE clusters, Cloud Run services and addresses. `attributes` are each service's REST object.
 */

type Json = Record<string, unknown>;

const COMPUTE = 'https://www.googleapis.com/compute/v1';
const APPS = ['orders', 'billing', 'catalog', 'identity', 'search'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const CREATED = '2025-06-01T09:30:00.000Z';

interface Place {
  project: string;
  region: string;
  app: string;
  env: string;
}

function asset(
  p: Place,
  location: string,
  type: string,
  id: string,
  name: string,
  data: Json,
  labels: Record<string, string>,
): DiscoveredResource {
  return { provider: 'gcp', account: p.project, region: location, type, id, name, attributes: data, tags: labels };
}

const labelsOf = (p: Place) => ({ app: p.app, env: p.env });

function sqlInstance(p: Place, rng: Rng): DiscoveredResource {
  const name = `${p.app}-${p.env}-pg-${hex(rng, 8)}`;
  const publicIp = chance(rng, 0.5);
  const data: Json = {
    kind: 'sql#instance',
    name,
    project: p.project,
    region: p.region,
    gceZone: `${p.region}-b`,
    databaseVersion: pick(rng, ['POSTGRES_15', 'POSTGRES_16', 'MYSQL_8_0']),
    backendType: 'SECOND_GEN',
    instanceType: 'CLOUD_SQL_INSTANCE',
    state: 'RUNNABLE',
    connectionName: `${p.project}:${p.region}:${name}`,
    selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${p.project}/instances/${name}`,
    createTime: CREATED,
    ipAddresses: [
      { type: publicIp ? 'PRIMARY' : 'PRIVATE', ipAddress: `10.${int(rng, 1, 250)}.0.${int(rng, 2, 250)}` },
    ],
    settings: {
      kind: 'sql#settings',
      tier: pick(rng, ['db-custom-2-7680', 'db-custom-4-15360', 'db-f1-micro']),
      availabilityType: pick(rng, ['ZONAL', 'REGIONAL']),
      dataDiskSizeGb: String(pick(rng, [10, 50, 100])),
      dataDiskType: 'PD_SSD',
      storageAutoResize: true,
      settingsVersion: String(int(rng, 1, 40)),
      userLabels: labelsOf(p),
      deletionProtectionEnabled: chance(rng, 0.5),
      ipConfiguration: {
        ipv4Enabled: publicIp,
        requireSsl: true,
        sslMode: 'ENCRYPTED_ONLY',
        authorizedNetworks: publicIp
          ? [{ kind: 'sql#aclEntry', name: 'office', value: `203.0.113.${int(rng, 0, 255)}/32` }]
          : [],
        ...(publicIp ? {} : { privateNetwork: `projects/${p.project}/global/networks/vpc-${p.app}` }),
      },
      backupConfiguration: {
        kind: 'sql#backupConfiguration',
        enabled: true,
        startTime: '03:00',
        pointInTimeRecoveryEnabled: chance(rng, 0.5),
        transactionLogRetentionDays: 7,
      },
    },
  };
  const id = `//cloudsql.googleapis.com/projects/${p.project}/instances/${name}`;
  return asset(p, p.region, 'sqladmin.googleapis.com/Instance', id, name, data, labelsOf(p));
}

function gkeCluster(p: Place, rng: Rng): DiscoveredResource {
  const name = `gke-${p.app}-${p.env}-${hex(rng, 8)}`;
  const isPrivate = chance(rng, 0.6);
  const version = pick(rng, ['1.30.5-gke.1014001', '1.31.1-gke.1678000']);
  const data: Json = {
    name,
    location: p.region,
    zone: p.region,
    network: `vpc-${p.app}`,
    subnetwork: `subnet-${p.app}-${p.region}`,
    releaseChannel: { channel: pick(rng, ['REGULAR', 'STABLE']) },
    privateClusterConfig: isPrivate
      ? { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: '172.16.0.0/28' }
      : {},
    masterAuthorizedNetworksConfig: {
      enabled: true,
      cidrBlocks: [{ displayName: 'office', cidrBlock: `198.51.100.${int(rng, 0, 255)}/32` }],
    },
    legacyAbac: {},
    networkPolicy: { provider: 'CALICO', enabled: true },
    shieldedNodes: { enabled: true },
    workloadIdentityConfig: { workloadPool: `${p.project}.svc.id.goog` },
    resourceLabels: labelsOf(p),
    currentMasterVersion: version,
    initialClusterVersion: version,
    endpoint: `34.${int(rng, 1, 250)}.${int(rng, 1, 250)}.${int(rng, 1, 250)}`,
    status: 'RUNNING',
    createTime: CREATED,
    selfLink: `https://container.googleapis.com/v1/projects/${p.project}/locations/${p.region}/clusters/${name}`,
  };
  const id = `//container.googleapis.com/projects/${p.project}/locations/${p.region}/clusters/${name}`;
  return asset(p, p.region, 'container.googleapis.com/Cluster', id, name, data, labelsOf(p));
}

function runService(p: Place, rng: Rng): DiscoveredResource {
  const name = `${p.app}-api-${hex(rng, 8)}`;
  const sa = `${p.app}-run@${p.project}.iam.gserviceaccount.com`;
  const data: Json = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: projectNumber(p.project),
      selfLink: `/apis/serving.knative.dev/v1/namespaces/${projectNumber(p.project)}/services/${name}`,
      uid: `${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`,
      generation: int(rng, 1, 30),
      creationTimestamp: CREATED,
      labels: { ...labelsOf(p), 'cloud.googleapis.com/location': p.region },
      annotations: {
        'run.googleapis.com/ingress': pick(rng, ['all', 'internal', 'internal-and-cloud-load-balancing']),
        'run.googleapis.com/launch-stage': 'GA',
      },
    },
    spec: {
      template: {
        spec: {
          serviceAccountName: sa,
          containerConcurrency: 80,
          timeoutSeconds: 300,
          containers: [{ image: `${p.region}-docker.pkg.dev/${p.project}/apps/${p.app}:v${int(rng, 1, 9)}` }],
        },
      },
    },
    status: { url: `https://${name}-${hex(rng, 10)}-${p.region.slice(0, 2)}.a.run.app` },
  };
  const id = `//run.googleapis.com/projects/${p.project}/locations/${p.region}/services/${name}`;
  return asset(p, p.region, 'run.googleapis.com/Service', id, name, data, labelsOf(p));
}

function address(p: Place, rng: Rng, global: boolean): DiscoveredResource {
  const name = `${p.app}-${global ? 'global-ip' : 'ip'}-${hex(rng, 8)}`;
  const scope = global ? 'global' : `regions/${p.region}`;
  const selfLink = `${COMPUTE}/projects/${p.project}/${scope}/addresses/${name}`;
  const data: Json = {
    kind: 'compute#address',
    id: digits(rng, 19),
    name,
    address: `34.${int(rng, 1, 250)}.${int(rng, 1, 250)}.${int(rng, 1, 250)}`,
    addressType: 'EXTERNAL',
    status: 'RESERVED',
    networkTier: 'PREMIUM',
    labels: labelsOf(p),
    labelFingerprint: `${hex(rng, 8)}=`,
    creationTimestamp: '2025-06-01T02:30:00.000-07:00',
    selfLink,
    ...(global ? { ipVersion: 'IPV4' } : { region: `${COMPUTE}/projects/${p.project}/regions/${p.region}` }),
  };
  const type = global ? 'compute.googleapis.com/GlobalAddress' : 'compute.googleapis.com/Address';
  const id = `//compute.googleapis.com/projects/${p.project}/${scope}/addresses/${name}`;
  return asset(p, global ? 'global' : p.region, type, id, name, data, labelsOf(p));
}

function route(p: Place, rng: Rng): DiscoveredResource {
  const name = `${p.app}-egress-${hex(rng, 8)}`;
  const data: Json = {
    kind: 'compute#route',
    id: digits(rng, 19),
    name,
    network: `${COMPUTE}/projects/${p.project}/global/networks/vpc-${p.app}`,
    destRange: `10.${int(rng, 100, 199)}.0.0/16`,
    priority: 900,
    nextHopIp: `10.0.0.${int(rng, 2, 250)}`,
    tags: ['egress-proxy'],
    creationTimestamp: '2025-06-01T02:30:00.000-07:00',
    selfLink: `${COMPUTE}/projects/${p.project}/global/routes/${name}`,
  };
  const id = `//compute.googleapis.com/projects/${p.project}/global/routes/${name}`;
  return asset(p, 'global', 'compute.googleapis.com/Route', id, name, data, {});
}

function serviceAccount(p: Place, rng: Rng): DiscoveredResource {
  const uniqueId = `1${digits(rng, 20)}`;
  const email = `${p.app}-run-${hex(rng, 6)}@${p.project}.iam.gserviceaccount.com`;
  const data: Json = {
    name: `projects/${p.project}/serviceAccounts/${email}`,
    projectId: p.project,
    uniqueId,
    email,
    displayName: `${p.app} Cloud Run runtime`,
    etag: 'MDEwMjE5MjA=',
    oauth2ClientId: uniqueId,
  };
  const id = `//iam.googleapis.com/projects/${p.project}/serviceAccounts/${uniqueId}`;
  return asset(p, 'global', 'iam.googleapis.com/ServiceAccount', id, email, data, {});
}

function pubsub(p: Place, rng: Rng): DiscoveredResource[] {
  const topicName = `${p.app}-events-${hex(rng, 8)}`;
  const topic = `projects/${p.project}/topics/${topicName}`;
  const subName = `${topicName}-worker`;
  const sub = `projects/${p.project}/subscriptions/${subName}`;
  return [
    asset(
      p,
      'global',
      'pubsub.googleapis.com/Topic',
      `//pubsub.googleapis.com/${topic}`,
      topicName,
      { name: topic, labels: labelsOf(p), messageStoragePolicy: { allowedPersistenceRegions: [p.region] } },
      labelsOf(p),
    ),
    asset(
      p,
      'global',
      'pubsub.googleapis.com/Subscription',
      `//pubsub.googleapis.com/${sub}`,
      subName,
      {
        name: sub,
        topic,
        pushConfig: {},
        ackDeadlineSeconds: pick(rng, [10, 30, 60]),
        messageRetentionDuration: '604800s',
        labels: labelsOf(p),
        expirationPolicy: { ttl: '2678400s' },
        state: 'ACTIVE',
      },
      labelsOf(p),
    ),
  ];
}

/** About one of each type per this many resources requested, per project and region; at least one. */
const RESOURCES_PER_SET = 150;

export const generateGcpInventoryEstate: CloudEstateGenerator = ({ rng, count, accounts, regions }) => {
  const sets = Math.max(1, Math.round(count / RESOURCES_PER_SET / Math.max(1, accounts.length * regions.length)));
  const out: DiscoveredResource[] = [];
  for (const project of accounts) {
    for (const region of regions) {
      for (let i = 0; i < sets; i++) {
        const p: Place = { project, region, app: pick(rng, APPS), env: pick(rng, ENVS) };
        out.push(sqlInstance(p, rng), gkeCluster(p, rng), runService(p, rng), address(p, rng, false));
        out.push(address(p, rng, true), route(p, rng), serviceAccount(p, rng), ...pubsub(p, rng));
      }
    }
  }
  return out;
};
