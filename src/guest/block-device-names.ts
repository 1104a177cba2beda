// How the guest kernel names an instance's EBS volumes. Xen types (t2, m1, m3, c4 …): the device
// name given to EC2 becomes /dev/xvdX (xvdf, partition xvdf1). Nitro types (t3, m5, c5 …): NVMe,
// the root is nvme0n1 (partition nvme0n1p1) and each attached volume takes the next free
// nvmeNn1; Amazon Linux's udev rules (ec2-utils) link the EC2 name, both /dev/sdf and /dev/xvdf,
// to it, so commands written for /dev/xvdf1 keep working (findDevice resolves those links).

import { isNitroType } from '../domain/instance-types.js';

export { isNitroType };

/** /dev/sdf → xvdf, /dev/xvda → xvda, /dev/sda1 → xvda: the Xen kernel name (and the udev link name). */
export function xenDiskName(apiDevice: string): string {
  const base = apiDevice.replace(/^\/dev\//, '').replace(/\d+$/, '');
  return base.startsWith('sd') ? 'xvd' + base.slice(2) : base;
}

/** The partition of a disk: xvdf → xvdf1, nvme1n1 → nvme1n1p1. */
export const partitionName = (disk: string): string => (disk.startsWith('nvme') ? `${disk}p1` : `${disk}1`);

/** The NVMe controller index of a kernel name (nvme3n1 → 3); undefined for Xen names. */
export const nvmeIndex = (disk: string): number | undefined => {
  const m = /^nvme(\d+)n1$/.exec(disk);
  return m ? Number(m[1]) : undefined;
};

/** The kernel name a new disk gets: its Xen name, or the lowest NVMe name not taken. */
export function newDiskName(nvme: boolean, apiDevice: string, taken: readonly string[], root: boolean): string {
  if (!nvme) return xenDiskName(apiDevice);
  if (root) return 'nvme0n1';
  for (let i = 1; ; i++) if (!taken.includes(`nvme${i}n1`)) return `nvme${i}n1`;
}
