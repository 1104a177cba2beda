// Helpers shared by guest tests: a booted guest over an in-memory volume store.
import { MemoryVolumeStore } from '../../src/guest/fs/volume-store.js';
import { imageTemplate } from '../../src/guest/images.js';
import type { InstanceMetadata, MetadataOptions } from '../../src/guest/imds.js';
import { InstanceGuest } from '../../src/guest/instance-guest.js';

export const SAMPLE_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm9Ir7bBlvw3/RN3+sEzEAlQRB5rX8yQ8qkFj3pqWnC';

export function sampleMetadata(over: Partial<InstanceMetadata> = {}): InstanceMetadata {
  return {
    instanceId: 'i-0123456789abcdef0',
    amiId: 'ami-0abcdef1234567890',
    instanceType: 't2.micro', // a Xen type: disks are xvd* (Nitro types get NVMe names)
    region: 'us-east-1',
    availabilityZone: 'us-east-1a',
    localIpv4: '172.31.5.10',
    localHostname: 'ip-172-31-5-10.ec2.internal',
    publicIpv4: '127.0.0.2',
    launchKey: { name: 'dev', publicKey: `${SAMPLE_KEY} dev` },
    ...over,
  };
}

export async function bootGuest(
  opts: {
    store?: MemoryVolumeStore;
    image?: string;
    instanceId?: string;
    rootVolumeId?: string;
    metadata?: Partial<InstanceMetadata>;
    metadataOptions?: Partial<MetadataOptions>;
  } = {},
): Promise<{ guest: InstanceGuest; store: MemoryVolumeStore }> {
  const store = opts.store ?? new MemoryVolumeStore();
  const instanceId = opts.instanceId ?? 'i-0123456789abcdef0';
  const guest = await InstanceGuest.start({
    instanceId,
    image: imageTemplate(opts.image ?? 'al2023'),
    rootVolume: { volumeId: opts.rootVolumeId ?? 'vol-root1' },
    volumes: store,
    metadata: sampleMetadata({ instanceId, ...opts.metadata }),
    metadataOptions: opts.metadataOptions,
  });
  await guest.cloudInit; // booted = cloud-init's final stage is over
  return { guest, store };
}
