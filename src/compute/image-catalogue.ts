// The built-in images as data: what the API says about each (name, owner, platform, root
// device, default user) and which guest engines can run it. Engines own the root filesystems
// (the simulated engine's builders: guest/images.ts, keyed by `key`); compute/images.ts gives
// each entry its region's AMI id and joins the images accounts make.

export interface CatalogueImage {
  /** Stable key instances and user images refer to (AMI ids are derived from it per region). */
  key: string;
  /** AWS-style image name, e.g. al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64. */
  name: string;
  description: string;
  ownerId: string;
  /** `amazon` for Amazon's and Canonical's listings; absent for publishers without one (Debian). */
  ownerAlias?: 'amazon';
  usageOperation: string;
  creationDate: string;
  /** `v2.0` (AL2023): instances launched from it default to IMDSv2 only, hop limit 2. */
  imdsSupport?: 'v2.0';
  defaultUser: string;
  rootDeviceName: string;
  rootDeviceType: 'ebs' | 'instance-store';
  architecture: 'x86_64';
  platformDetails: string;
  /** `windows` for Windows Server images: no SSH server, a generated Administrator password (GetPasswordData). */
  platform?: 'windows';
  /** Size of the root volume's snapshot (GiB); 8 when absent. */
  rootVolumeGiB?: number;
  /** Guest engines that can boot it, preferred first (GuestEngine.name). */
  engines: readonly string[];
}

export const IMAGE_CATALOGUE: readonly CatalogueImage[] = [
  {
    key: 'al2023',
    name: 'al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.6.20250115.0 x86_64 HVM kernel-6.1',
    ownerId: '137112412989',
    ownerAlias: 'amazon',
    usageOperation: 'RunInstances',
    creationDate: '2025-01-15T00:00:00.000Z',
    imdsSupport: 'v2.0',
    defaultUser: 'ec2-user',
    rootDeviceName: '/dev/xvda',
    rootDeviceType: 'ebs',
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    engines: ['simulated'],
  },
  {
    key: 'ubuntu-24.04',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115',
    description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    ownerId: '099720109477',
    ownerAlias: 'amazon',
    usageOperation: 'RunInstances',
    creationDate: '2025-01-15T00:00:00.000Z',
    defaultUser: 'ubuntu',
    rootDeviceName: '/dev/sda1',
    rootDeviceType: 'ebs',
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    engines: ['simulated'],
  },
  {
    key: 'amzn-instance-store',
    name: 'amzn-ami-minimal-hvm-2018.03.0.20250115.0-x86_64-s3',
    description: 'Amazon Linux AMI 2018.03.0 x86_64 Minimal HVM instance-store',
    ownerId: '137112412989',
    ownerAlias: 'amazon',
    usageOperation: 'RunInstances',
    creationDate: '2025-01-15T00:00:00.000Z',
    defaultUser: 'ec2-user',
    rootDeviceName: '/dev/sda1',
    rootDeviceType: 'instance-store',
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    engines: ['simulated'],
  },
  // Windows Server: AWS's names and owner (801119661308, alias amazon), root /dev/sda1, 30 GiB roots.
  ...(['2022', '2019'] as const).map(
    (v): CatalogueImage => ({
      key: `windows-${v}`,
      name: `Windows_Server-${v}-English-Full-Base-2025.01.15`,
      description: `Microsoft Windows Server ${v} Full Locale English AMI provided by Amazon`,
      ownerId: '801119661308',
      ownerAlias: 'amazon',
      usageOperation: 'RunInstances:0002',
      creationDate: '2025-01-15T00:00:00.000Z',
      defaultUser: 'Administrator',
      rootDeviceName: '/dev/sda1',
      rootDeviceType: 'ebs',
      architecture: 'x86_64',
      platformDetails: 'Windows',
      platform: 'windows',
      rootVolumeGiB: 30,
      engines: ['simulated'],
    }),
  ),
];

/**
 * Images an engine offers beyond the built-in ones (crun's Debian 12 with `serve --real-images`),
 * registered by app/ at start and removed at close; DescribeImages lists them with the rest. One
 * registration per server: servers in one process (tests, a restart in place) close on their own
 * without taking another's images away.
 */
const engineRegistrations = new Set<readonly CatalogueImage[]>();
let engineImages: CatalogueImage[] = [];
/** Registers `images`; the function returned removes this registration only. */
export const addEngineImages = (images: readonly CatalogueImage[]): (() => void) => {
  const entry = [...images];
  engineRegistrations.add(entry);
  refreshEngineImages();
  return () => {
    engineRegistrations.delete(entry);
    refreshEngineImages();
  };
};
function refreshEngineImages(): void {
  const byKey = new Map<string, CatalogueImage>();
  for (const list of engineRegistrations) for (const image of list) if (!byKey.has(image.key)) byKey.set(image.key, image);
  engineImages = [...byKey.values()];
}

/** Every image of the catalogue: built-in, then the engines'. */
export const catalogueImages = (): readonly CatalogueImage[] => (engineImages.length ? [...IMAGE_CATALOGUE, ...engineImages] : IMAGE_CATALOGUE);

/** A catalogue entry by key; throws for an unknown key (records only hold keys from here). */
export function catalogueImage(key: string): CatalogueImage {
  const t = catalogueImages().find((x) => x.key === key);
  if (!t) throw new Error(`no image ${key} in the catalogue`);
  return t;
}
