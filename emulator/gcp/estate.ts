import type { DiscoveredResource } from '../../contract/resource.js';
import { chance, int, pick } from '../rng.js';
import type { CloudEstateGenerator, Rng } from '../types.js';
import { projectNumber } from './asset-types.js';

/**
 * A GCP estate as Cloud Asset Inventory reports it: per project the `default` network (auto
 * mode, a subnetwork in every region, the four default firewall rules GCP creates with it),
 * custom VPCs with their subnetworks and firewall rules, VM instances in those subnetworks
 * with boot and data disks, a few unattached disks, and Cloud Storage buckets.
 * `attributes` are the Compute / Storage JSON API objects (`resource.data` of the asset).
 *
 * Longer than most modules on purpose: one small builder per asset type, and the references
 * between them (network → subnetworks → instances → disks) wired in one place.
 */

type Json = Record<string, unknown>;

const COMPUTE = 'https://www.googleapis.com/compute/v1';
const ASSET_PREFIX = '//compute.googleapis.com';
const T = {
  instance: 'compute.googleapis.com/Instance',
  disk: 'compute.googleapis.com/Disk',
  network: 'compute.googleapis.com/Network',
  subnetwork: 'compute.googleapis.com/Subnetwork',
  firewall: 'compute.googleapis.com/Firewall',
  bucket: 'storage.googleapis.com/Bucket',
} as const;

/** Share of the budget left after networking that goes to buckets; the rest is VMs and disks. */
const BUCKET_SHARE = 0.06;
/** One custom VPC per this many resources requested. */
const RESOURCES_PER_CUSTOM_NETWORK = 250;
const DATA_DISK_CHANCE = 0.25;
const UNATTACHED_DISK_CHANCE = 0.05;
/** Resources one VM brings on average: itself, its boot disk, data and unattached disks. */
const RESOURCES_PER_VM = 2 + DATA_DISK_CHANCE + UNATTACHED_DISK_CHANCE;
const ZONE_SUFFIXES = ['a', 'b', 'c'] as const;
/** The fingerprint GCP reports for an empty label set. */
const EMPTY_LABEL_FINGERPRINT = '42WmSpB8rSM=';
/** The estate's "now": creation times are drawn from the two years before it. */
const ESTATE_EPOCH_MS = Date.UTC(2025, 0, 1);
const TWO_YEARS_MS = 730 * 86_400_000;

/** Auto-mode subnet ranges GCP assigns to the `default` network, by region. */
const AUTO_MODE_RANGES: Record<string, string> = {
  'us-central1': '10.128.0.0/20',
  'europe-west1': '10.132.0.0/20',
  'us-west1': '10.138.0.0/20',
  'asia-east1': '10.140.0.0/20',
  'us-east1': '10.142.0.0/20',
  'asia-northeast1': '10.146.0.0/20',
  'asia-southeast1': '10.148.0.0/20',
  'us-east4': '10.150.0.0/20',
  'australia-southeast1': '10.152.0.0/20',
  'europe-west2': '10.154.0.0/20',
  'europe-west3': '10.156.0.0/20',
};

interface MachineFamily {
  types: readonly string[];
  cpuPlatform: string;
}

const MACHINE_FAMILIES: readonly MachineFamily[] = [
  { types: ['e2-micro', 'e2-small', 'e2-medium', 'e2-standard-2', 'e2-standard-4'], cpuPlatform: 'Intel Broadwell' },
  { types: ['n2-standard-2', 'n2-standard-4', 'n2-standard-8', 'n2-highmem-4'], cpuPlatform: 'Intel Cascade Lake' },
  { types: ['n1-standard-1', 'n1-standard-2'], cpuPlatform: 'Intel Haswell' },
  { types: ['c3-standard-4', 'c3-standard-8'], cpuPlatform: 'Intel Sapphire Rapids' },
  { types: ['t2d-standard-2', 'n2d-standard-4'], cpuPlatform: 'AMD Milan' },
];

interface BootImage {
  project: string;
  image: string;
  license: string;
  sizeGb: number;
  features: readonly string[];
}

const BOOT_IMAGES: readonly BootImage[] = [
  {
    project: 'debian-cloud',
    image: 'debian-12-bookworm-v20241210',
    license: 'debian-12-bookworm',
    sizeGb: 10,
    features: ['UEFI_COMPATIBLE', 'VIRTIO_SCSI_MULTIQUEUE', 'GVNIC', 'SEV_CAPABLE'],
  },
  {
    project: 'ubuntu-os-cloud',
    image: 'ubuntu-2204-jammy-v20241218',
    license: 'ubuntu-2204-lts',
    sizeGb: 10,
    features: ['UEFI_COMPATIBLE', 'VIRTIO_SCSI_MULTIQUEUE', 'GVNIC', 'SEV_CAPABLE', 'SEV_SNP_CAPABLE'],
  },
  {
    project: 'cos-cloud',
    image: 'cos-113-18244-236-26',
    license: 'cos-pcid',
    sizeGb: 10,
    features: ['UEFI_COMPATIBLE', 'VIRTIO_SCSI_MULTIQUEUE', 'GVNIC', 'SEV_CAPABLE'],
  },
  {
    project: 'rocky-linux-cloud',
    image: 'rocky-linux-9-v20241115',
    license: 'rocky-linux-9',
    sizeGb: 20,
    features: ['UEFI_COMPATIBLE', 'VIRTIO_SCSI_MULTIQUEUE', 'GVNIC'],
  },
  {
    project: 'windows-cloud',
    image: 'windows-server-2022-dc-v20241115',
    license: 'windows-server-2022-dc',
    sizeGb: 50,
    features: ['MULTI_IP_SUBNET', 'UEFI_COMPATIBLE', 'VIRTIO_SCSI_MULTIQUEUE', 'GVNIC', 'WINDOWS'],
  },
];

const DISK_TYPES = ['pd-balanced', 'pd-ssd', 'pd-standard'] as const;
const DATA_DISK_SIZES_GB = [50, 100, 200, 500, 1000] as const;
const APPS = ['web', 'api', 'worker', 'db', 'cache', 'batch', 'etl', 'search', 'auth', 'billing'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const TEAMS = ['platform', 'payments', 'data', 'identity', 'growth'] as const;
const NETWORK_TAGS = ['http-server', 'https-server', 'allow-health-check', 'ssh'] as const;
const STORAGE_CLASSES = ['STANDARD', 'STANDARD', 'STANDARD', 'NEARLINE', 'COLDLINE'] as const;
const DEFAULT_SCOPES = [
  'https://www.googleapis.com/auth/devstorage.read_only',
  'https://www.googleapis.com/auth/logging.write',
  'https://www.googleapis.com/auth/monitoring.write',
  'https://www.googleapis.com/auth/service.management.readonly',
  'https://www.googleapis.com/auth/servicecontrol',
  'https://www.googleapis.com/auth/trace.append',
];
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

interface FirewallRule {
  suffix: string;
  description: string;
  priority: number;
  direction: 'INGRESS' | 'EGRESS';
  sourceRanges?: readonly string[];
  destinationRanges?: readonly string[];
  allowed?: readonly Json[];
  denied?: readonly Json[];
  targetTags?: readonly string[];
}

/** The rules GCP creates with the `default` network, named `default-<suffix>`. */
const DEFAULT_FIREWALL_RULES: readonly FirewallRule[] = [
  {
    suffix: 'allow-internal',
    description: 'Allow internal traffic on the default network',
    priority: 65534,
    direction: 'INGRESS',
    sourceRanges: ['10.128.0.0/9'],
    allowed: [
      { IPProtocol: 'tcp', ports: ['0-65535'] },
      { IPProtocol: 'udp', ports: ['0-65535'] },
      { IPProtocol: 'icmp' },
    ],
  },
  {
    suffix: 'allow-ssh',
    description: 'Allow SSH from anywhere',
    priority: 65534,
    direction: 'INGRESS',
    sourceRanges: ['0.0.0.0/0'],
    allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
  },
  {
    suffix: 'allow-rdp',
    description: 'Allow RDP from anywhere',
    priority: 65534,
    direction: 'INGRESS',
    sourceRanges: ['0.0.0.0/0'],
    allowed: [{ IPProtocol: 'tcp', ports: ['3389'] }],
  },
  {
    suffix: 'allow-icmp',
    description: 'Allow ICMP from anywhere',
    priority: 65534,
    direction: 'INGRESS',
    sourceRanges: ['0.0.0.0/0'],
    allowed: [{ IPProtocol: 'icmp' }],
  },
];

/** Rules a team typically writes for its own VPC; each custom network gets some of them. */
const CUSTOM_FIREWALL_RULES: readonly FirewallRule[] = [
  {
    suffix: 'allow-iap-ssh',
    description: 'SSH through Identity-Aware Proxy',
    priority: 1000,
    direction: 'INGRESS',
    sourceRanges: ['35.235.240.0/20'],
    allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
  },
  {
    suffix: 'allow-http',
    description: 'Public web traffic',
    priority: 1000,
    direction: 'INGRESS',
    sourceRanges: ['0.0.0.0/0'],
    allowed: [{ IPProtocol: 'tcp', ports: ['80', '443'] }],
    targetTags: ['http-server', 'https-server'],
  },
  {
    suffix: 'allow-health-checks',
    description: 'Google load balancer health checks',
    priority: 1000,
    direction: 'INGRESS',
    sourceRanges: ['130.211.0.0/22', '35.191.0.0/16'],
    allowed: [{ IPProtocol: 'tcp' }],
    targetTags: ['allow-health-check'],
  },
  {
    suffix: 'allow-internal',
    description: 'East-west traffic inside the VPC',
    priority: 1000,
    direction: 'INGRESS',
    sourceRanges: ['10.0.0.0/8'],
    allowed: [{ IPProtocol: 'tcp' }, { IPProtocol: 'udp' }, { IPProtocol: 'icmp' }],
  },
  {
    suffix: 'deny-egress',
    description: 'Block egress by default',
    priority: 65000,
    direction: 'EGRESS',
    destinationRanges: ['0.0.0.0/0'],
    denied: [{ IPProtocol: 'all' }],
  },
];

interface Subnet {
  selfLink: string;
  networkLink: string;
  /** First address of the range as a 32-bit number, and how many addresses it holds. */
  base: number;
  size: number;
  nextHost: number;
}

interface Project {
  id: string;
  number: string;
  /** `https://www.googleapis.com/compute/v1/projects/<id>` */
  link: string;
  subnetsByRegion: Map<string, Subnet[]>;
}

/** Generates resources in a deterministic order from one rng. */
class GcpEstateBuilder {
  readonly resources: DiscoveredResource[] = [];
  private sequence = 0;

  constructor(
    private readonly rng: Rng,
    private readonly regions: readonly string[],
  ) {}

  /** A fresh number for names, so names stay unique within a project and bucket names globally. */
  nextSeq(): string {
    this.sequence += 1;
    return String(this.sequence).padStart(6, '0');
  }

  project(id: string): Project {
    return { id, number: projectNumber(id), link: `${COMPUTE}/projects/${id}`, subnetsByRegion: new Map() };
  }

  /** An auto-mode network named `default` with GCP's per-region ranges and its four firewall rules. */
  defaultNetwork(project: Project): void {
    const network = this.network(project, 'default', 'Default network for the project', true);
    this.regions.forEach((region, i) => {
      const cidr = AUTO_MODE_RANGES[region] ?? `10.${160 + (i % 90)}.0.0/20`;
      this.subnetwork(project, network, 'default', region, cidr);
    });
    for (const rule of DEFAULT_FIREWALL_RULES)
      this.firewall(project, network.selfLink as string, `default-${rule.suffix}`, rule);
  }

  /** A custom-mode VPC with subnetworks in some regions and a few firewall rules. */
  customNetwork(project: Project, index: number): void {
    const app = pick(this.rng, APPS);
    const name = `vpc-${app}-${this.nextSeq()}`;
    const network = this.network(project, name, `${app} services`, false);
    const regionCount = int(this.rng, 1, this.regions.length);
    const offset = int(this.rng, 0, this.regions.length - 1);
    for (let r = 0; r < regionCount; r++) {
      const region = this.regions[(offset + r) % this.regions.length]!;
      const secondOctet = (index * this.regions.length + r) % 128;
      this.subnetwork(project, network, `${name}-${region}`, region, `10.${secondOctet}.0.0/16`);
    }
    for (const rule of CUSTOM_FIREWALL_RULES) {
      if (chance(this.rng, 0.6)) this.firewall(project, network.selfLink as string, `${name}-${rule.suffix}`, rule);
    }
  }

  private network(project: Project, name: string, description: string, autoCreateSubnetworks: boolean): Json {
    const id = this.numericId();
    const data: Json = {
      kind: 'compute#network',
      id,
      creationTimestamp: this.timestamp(),
      name,
      description,
      selfLink: `${project.link}/global/networks/${name}`,
      selfLinkWithId: `${project.link}/global/networks/${id}`,
      autoCreateSubnetworks,
      subnetworks: [] as string[],
      routingConfig: { routingMode: 'REGIONAL' },
      networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
      mtu: 1460,
    };
    this.push(project, T.network, `projects/${project.id}/global/networks/${name}`, 'global', data);
    return data;
  }

  private subnetwork(project: Project, network: Json, name: string, region: string, cidr: string): void {
    const [address, prefix] = cidr.split('/') as [string, string];
    const base = ipToNumber(address);
    const selfLink = `${project.link}/regions/${region}/subnetworks/${name}`;
    const data: Json = {
      kind: 'compute#subnetwork',
      id: this.numericId(),
      creationTimestamp: network.creationTimestamp,
      name,
      network: network.selfLink,
      ipCidrRange: cidr,
      gatewayAddress: numberToIp(base + 1),
      region: `${project.link}/regions/${region}`,
      selfLink,
      privateIpGoogleAccess: !network.autoCreateSubnetworks,
      fingerprint: this.fingerprint(),
      purpose: 'PRIVATE',
      stackType: 'IPV4_ONLY',
    };
    (network.subnetworks as string[]).push(selfLink);
    const subnets = project.subnetsByRegion.get(region) ?? [];
    subnets.push({
      selfLink,
      networkLink: network.selfLink as string,
      base,
      size: 2 ** (32 - Number(prefix)),
      nextHost: 2,
    });
    project.subnetsByRegion.set(region, subnets);
    this.push(project, T.subnetwork, `projects/${project.id}/regions/${region}/subnetworks/${name}`, region, data);
  }

  private firewall(project: Project, networkLink: string, name: string, rule: FirewallRule): void {
    const data: Json = {
      kind: 'compute#firewall',
      id: this.numericId(),
      creationTimestamp: this.timestamp(),
      name,
      description: rule.description,
      network: networkLink,
      priority: rule.priority,
      direction: rule.direction,
      logConfig: { enable: false },
      disabled: false,
      selfLink: `${project.link}/global/firewalls/${name}`,
    };
    if (rule.sourceRanges) data.sourceRanges = [...rule.sourceRanges];
    if (rule.destinationRanges) data.destinationRanges = [...rule.destinationRanges];
    if (rule.allowed) data.allowed = structuredClone(rule.allowed);
    if (rule.denied) data.denied = structuredClone(rule.denied);
    if (rule.targetTags) data.targetTags = [...rule.targetTags];
    this.push(project, T.firewall, `projects/${project.id}/global/firewalls/${name}`, 'global', data);
  }

  /** A VM in one of the project's subnetworks of a random region, with its boot disk and maybe a data disk. */
  instance(project: Project, region: string): void {
    const zone = `${region}-${pick(this.rng, ZONE_SUFFIXES)}`;
    const zoneLink = `${project.link}/zones/${zone}`;
    const subnet = pick(this.rng, project.subnetsByRegion.get(region)!);
    const app = pick(this.rng, APPS);
    const env = pick(this.rng, ENVS);
    const name = `${app}-${env}-${this.nextSeq()}`;
    const selfLink = `${zoneLink}/instances/${name}`;
    const family = pick(this.rng, MACHINE_FAMILIES);
    const image = pick(this.rng, BOOT_IMAGES);
    const created = this.timeMs();
    const running = chance(this.rng, 0.9);
    const labels = this.labels(app, env);

    const bootDisk = this.disk(project, zone, name, {
      sizeGb: image.sizeGb,
      type: 'pd-balanced',
      createdMs: created,
      image,
      user: selfLink,
    });
    const attached: Json[] = [attachedDisk(bootDisk, 0, true, image)];
    if (chance(this.rng, DATA_DISK_CHANCE)) {
      const dataDisk = this.disk(project, zone, `${name}-data`, {
        sizeGb: pick(this.rng, DATA_DISK_SIZES_GB),
        type: pick(this.rng, DISK_TYPES),
        createdMs: created,
        user: selfLink,
        labels,
      });
      attached.push(attachedDisk(dataDisk, 1, false));
    }

    const data: Json = {
      kind: 'compute#instance',
      id: this.numericId(),
      creationTimestamp: formatComputeTime(created),
      name,
      tags: { items: this.networkTags(app), fingerprint: this.fingerprint() },
      machineType: `${zoneLink}/machineTypes/${pick(this.rng, family.types)}`,
      status: running ? 'RUNNING' : 'TERMINATED',
      zone: zoneLink,
      canIpForward: false,
      networkInterfaces: [this.networkInterface(subnet)],
      disks: attached,
      metadata: this.metadata(image),
      serviceAccounts: [
        { email: `${project.number}-compute@developer.gserviceaccount.com`, scopes: [...DEFAULT_SCOPES] },
      ],
      selfLink,
      scheduling: {
        onHostMaintenance: 'MIGRATE',
        automaticRestart: true,
        preemptible: false,
        provisioningModel: 'STANDARD',
      },
      cpuPlatform: family.cpuPlatform,
      labelFingerprint: labels ? this.fingerprint() : EMPTY_LABEL_FINGERPRINT,
      startRestricted: false,
      deletionProtection: env === 'prod' && chance(this.rng, 0.3),
      shieldedInstanceConfig: { enableSecureBoot: false, enableVtpm: true, enableIntegrityMonitoring: true },
      shieldedInstanceIntegrityPolicy: { updateAutoLearnPolicy: true },
      fingerprint: this.fingerprint(),
      lastStartTimestamp: formatComputeTime(created + 60_000),
      keyRevocationActionType: 'NONE',
    };
    if (labels) data.labels = labels;
    if (!running) data.lastStopTimestamp = formatComputeTime(created + int(this.rng, 1, 300) * 86_400_000);
    this.push(project, T.instance, `projects/${project.id}/zones/${zone}/instances/${name}`, zone, data);
  }

  /** A disk nobody attached (left over after a VM was deleted, or made for later). */
  unattachedDisk(project: Project): void {
    const zone = `${pick(this.rng, this.regions)}-${pick(this.rng, ZONE_SUFFIXES)}`;
    this.disk(project, zone, `disk-${this.nextSeq()}`, {
      sizeGb: pick(this.rng, DATA_DISK_SIZES_GB),
      type: pick(this.rng, DISK_TYPES),
      createdMs: this.timeMs(),
    });
  }

  private disk(
    project: Project,
    zone: string,
    name: string,
    spec: {
      sizeGb: number;
      type: string;
      createdMs: number;
      image?: BootImage;
      user?: string;
      labels?: Record<string, string>;
    },
  ): Json {
    const zoneLink = `${project.link}/zones/${zone}`;
    const data: Json = {
      kind: 'compute#disk',
      id: this.numericId(),
      creationTimestamp: formatComputeTime(spec.createdMs),
      name,
      sizeGb: String(spec.sizeGb),
      zone: zoneLink,
      status: 'READY',
      selfLink: `${zoneLink}/disks/${name}`,
      type: `${zoneLink}/diskTypes/${spec.type}`,
      labelFingerprint: spec.labels ? this.fingerprint() : EMPTY_LABEL_FINGERPRINT,
      physicalBlockSizeBytes: '4096',
      architecture: 'X86_64',
    };
    if (spec.image) {
      data.sourceImage = `${COMPUTE}/projects/${spec.image.project}/global/images/${spec.image.image}`;
      data.sourceImageId = this.numericId();
      data.licenses = [`${COMPUTE}/projects/${spec.image.project}/global/licenses/${spec.image.license}`];
      data.guestOsFeatures = spec.image.features.map((type) => ({ type }));
    }
    if (spec.user) {
      data.users = [spec.user];
      data.lastAttachTimestamp = formatComputeTime(spec.createdMs + 30_000);
    }
    if (spec.labels) data.labels = spec.labels;
    this.push(project, T.disk, `projects/${project.id}/zones/${zone}/disks/${name}`, zone, data);
    return data;
  }

  bucket(project: Project, region: string): void {
    const app = pick(this.rng, APPS);
    const env = pick(this.rng, ENVS);
    const name = `${project.id}-${app}-${env}-${this.nextSeq()}`;
    const created = new Date(this.timeMs()).toISOString();
    const labels = this.labels(app, env);
    const data: Json = {
      kind: 'storage#bucket',
      selfLink: `https://www.googleapis.com/storage/v1/b/${name}`,
      id: name,
      name,
      projectNumber: project.number,
      metageneration: '1',
      location: region.toUpperCase(),
      storageClass: pick(this.rng, STORAGE_CLASSES),
      etag: 'CAE=',
      timeCreated: created,
      updated: created,
      locationType: 'region',
      iamConfiguration: {
        bucketPolicyOnly: { enabled: true },
        uniformBucketLevelAccess: { enabled: true },
        publicAccessPrevention: chance(this.rng, 0.8) ? 'enforced' : 'inherited',
      },
      softDeletePolicy: { retentionDurationSeconds: '604800', effectiveTime: created },
      rpo: 'DEFAULT',
    };
    if (labels) data.labels = labels;
    if (chance(this.rng, 0.3)) data.versioning = { enabled: true };
    if (chance(this.rng, 0.3))
      data.lifecycle = { rule: [{ action: { type: 'Delete' }, condition: { age: pick(this.rng, [30, 90, 365]) } }] };
    this.resources.push({
      provider: 'gcp',
      account: project.id,
      region,
      type: T.bucket,
      id: `//storage.googleapis.com/${name}`,
      name,
      attributes: data,
      tags: labels ?? {},
    });
  }

  private push(project: Project, type: string, path: string, region: string, data: Json): void {
    const labels = data.labels as Record<string, string> | undefined;
    this.resources.push({
      provider: 'gcp',
      account: project.id,
      region,
      type,
      id: `${ASSET_PREFIX}/${path}`,
      name: data.name as string,
      attributes: data,
      tags: labels ?? {},
    });
  }

  private networkInterface(subnet: Subnet): Json {
    const host = subnet.nextHost;
    // Wrap inside the range (skipping network, gateway and the two reserved top addresses).
    subnet.nextHost = host + 1 >= subnet.size - 2 ? 2 : host + 1;
    const nic: Json = {
      kind: 'compute#networkInterface',
      network: subnet.networkLink,
      subnetwork: subnet.selfLink,
      networkIP: numberToIp(subnet.base + host),
      name: 'nic0',
      fingerprint: this.fingerprint(),
      stackType: 'IPV4_ONLY',
    };
    if (chance(this.rng, 0.3)) {
      nic.accessConfigs = [
        {
          kind: 'compute#accessConfig',
          type: 'ONE_TO_ONE_NAT',
          name: 'External NAT',
          natIP: `34.${int(this.rng, 0, 255)}.${int(this.rng, 0, 255)}.${int(this.rng, 1, 254)}`,
          networkTier: 'PREMIUM',
        },
      ];
    }
    return nic;
  }

  private metadata(image: BootImage): Json {
    const items: Json[] = [{ key: 'enable-oslogin', value: 'TRUE' }];
    if (image.project !== 'windows-cloud' && chance(this.rng, 0.4)) {
      items.push({ key: 'startup-script', value: '#!/bin/bash\napt-get update -y\n' });
    }
    return { kind: 'compute#metadata', fingerprint: this.fingerprint(), items };
  }

  private networkTags(app: string): string[] {
    const tags = [app];
    for (const tag of NETWORK_TAGS) if (chance(this.rng, 0.3)) tags.push(tag);
    return tags;
  }

  /** Labels as teams set them; a sixth of resources carry none, as in real estates. */
  private labels(app: string, env: string): Record<string, string> | undefined {
    if (chance(this.rng, 1 / 6)) return undefined;
    const labels: Record<string, string> = { app, env, team: pick(this.rng, TEAMS) };
    if (chance(this.rng, 0.7)) labels['managed-by'] = 'terraform';
    return labels;
  }

  /** A uint64 id as the Compute API prints it (a decimal string of 19 digits). */
  private numericId(): string {
    return `${int(this.rng, 1_000_000_000, 9_223_372_035)}${String(int(this.rng, 0, 999_999_999)).padStart(9, '0')}`;
  }

  private fingerprint(): string {
    let out = '';
    for (let i = 0; i < 11; i++) out += BASE64[Math.floor(this.rng() * 64)];
    return `${out}=`;
  }

  private timeMs(): number {
    return ESTATE_EPOCH_MS - Math.floor(this.rng() * TWO_YEARS_MS);
  }

  private timestamp(): string {
    return formatComputeTime(this.timeMs());
  }
}

function attachedDisk(disk: Json, index: number, boot: boolean, image?: BootImage): Json {
  const entry: Json = {
    kind: 'compute#attachedDisk',
    type: 'PERSISTENT',
    mode: 'READ_WRITE',
    source: disk.selfLink,
    deviceName: boot ? 'persistent-disk-0' : disk.name,
    index,
    boot,
    autoDelete: boot,
    interface: 'SCSI',
    diskSizeGb: disk.sizeGb,
    architecture: 'X86_64',
  };
  if (image) {
    entry.licenses = [...(disk.licenses as string[])];
    entry.guestOsFeatures = image.features.map((type) => ({ type }));
  }
  return entry;
}

/** Compute prints times in Pacific time with an explicit offset, e.g. `2024-05-04T10:21:33.123-07:00`. */
function formatComputeTime(ms: number): string {
  return `${new Date(ms - 7 * 3_600_000).toISOString().slice(0, -1)}-07:00`;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** How many of each kind to make so the total lands near the requested count. */
function plan(
  count: number,
  projects: number,
  regions: number,
): { customNetworks: number; buckets: number; vms: number } {
  const defaultNetworking = projects * (1 + regions + DEFAULT_FIREWALL_RULES.length);
  const customNetworks = Math.max(projects, Math.round(count / RESOURCES_PER_CUSTOM_NETWORK));
  const perCustomNetwork = 1 + (regions + 1) / 2 + CUSTOM_FIREWALL_RULES.length * 0.6;
  const rest = Math.max(0, count - defaultNetworking - customNetworks * perCustomNetwork);
  const everywhere = projects * regions;
  const buckets = Math.max(everywhere, Math.round(rest * BUCKET_SHARE));
  const vms = Math.max(everywhere, Math.round((rest - buckets) / RESOURCES_PER_VM));
  return { customNetworks, buckets, vms };
}

export const generateGcpEstate: CloudEstateGenerator = ({ rng, count, accounts, regions }) => {
  if (accounts.length === 0 || regions.length === 0) return [];
  const builder = new GcpEstateBuilder(rng, regions);
  const projects = accounts.map((id) => builder.project(id));
  const counts = plan(count, projects.length, regions.length);
  // The first placements go round every project and region, so each type appears in each of them.
  const everywhere = projects.length * regions.length;
  const projectAt = (i: number) => (i < projects.length ? projects[i]! : pick(rng, projects));
  const placeAt = (i: number): [Project, string] =>
    i < everywhere
      ? [projects[i % projects.length]!, regions[Math.floor(i / projects.length)]!]
      : [pick(rng, projects), pick(rng, regions)];

  for (const project of projects) builder.defaultNetwork(project);
  for (let i = 0; i < counts.customNetworks; i++) builder.customNetwork(projectAt(i), i);
  for (let i = 0; i < counts.vms; i++) {
    const [project, region] = placeAt(i);
    builder.instance(project, region);
    if (i < projects.length || chance(rng, UNATTACHED_DISK_CHANCE)) builder.unattachedDisk(project);
  }
  for (let i = 0; i < counts.buckets; i++) builder.bucket(...placeAt(i));
  return builder.resources;
};
