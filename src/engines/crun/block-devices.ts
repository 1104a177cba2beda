// EBS volumes inside a real instance. A container cannot have real block devices (the guest is
// unprivileged in its user namespace: mounting a disk is impossible), so each attached volume is
// shown as the closest faithful thing (docs/real-instances.md, "Volumes"):
//
// - a disk in a sysfs of its own that `lsblk` reads (/sys/block, /sys/dev/block, /sys/class/block
//   and /sys/devices/virtual/block are the engine's host directories, bound read-only): xvdf
//   202:80, with a partition xvdf1 when the volume holds an AMI's root filesystem;
// - a device node /dev/xvdf → /run/ec2lite/blk/dev/xvdf (a real 202:80 node, never openable: nodev
//   mount, the device cgroup denies every block device);
// - the volume's filesystem, mounted by the engine in the instance's outer mount namespace at
//   <bundle>/blk/fs/<name>, which propagates (the shared <bundle>/blk is bound rslave into the
//   guest at /run/ec2lite/blk) into the guest at /run/ec2lite/blk/fs/<name>. A root filesystem is
//   an overlay of its image and the volume's upper directory; any other volume's files are its
//   directory, bound.
//
// The image's `mount` wrapper (first-boot.ts) turns `mount /dev/xvdf1 /mnt/tempvol` into a bind
// mount of that directory; detaching unmounts it everywhere in the guest.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, fchownSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, symlinkSync, watch, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GUEST_UID_BASE } from './images.js';
import { MOUNT_OPTIONS } from './volume-disk.js';

const run = promisify(execFile);

/** Where attached volumes' files show in the guest. */
export const GUEST_BLK = '/run/ec2lite/blk';
/** The xen block major (xvd*), as EC2's Xen instances and the seed's `lsblk` show them. */
const XVD_MAJOR = 202;
/** Debian's `disk` group. */
const DISK_GID = 6;

/** The bundle's host directories behind the guest's block devices (bound by oci.ts). */
export interface BlockDirs {
  blk: string;
  sysBlock: string;
  sysDev: string;
  sysClass: string;
  sysDevices: string;
}

export function blockDirs(bundle: string): BlockDirs {
  return {
    blk: join(bundle, 'blk'),
    sysBlock: join(bundle, 'sys', 'block'),
    sysDev: join(bundle, 'sys', 'dev-block'),
    sysClass: join(bundle, 'sys', 'class-block'),
    sysDevices: join(bundle, 'sys', 'devices'),
  };
}

export function makeBlockDirs(bundle: string): void {
  const d = blockDirs(bundle);
  for (const p of [join(d.blk, 'dev'), join(d.blk, 'fs'), d.sysBlock, d.sysDev, d.sysClass, d.sysDevices]) mkdirSync(p, { recursive: true, mode: 0o755 });
  // The one place the guest writes (as its root): mkfs requests (watchFormatRequests).
  const ctl = join(d.blk, 'ctl');
  mkdirSync(ctl, { mode: 0o700 });
  chownSync(ctl, GUEST_UID_BASE, GUEST_UID_BASE);
}

/** The kernel's name for an API device name: /dev/sdf and /dev/xvdf → xvdf; /dev/sda1 → xvda. */
export function kernelName(device: string): string {
  const base = device.replace(/^\/dev\//, '').replace(/\d+$/, '');
  return base.startsWith('xvd') ? base : `xvd${base.replace(/^(sd|hd)/, '')}`;
}

/** xvda → 0, xvdf → 80 (16 minors per disk), as Xen's blkfront numbers them. */
export function minorOf(name: string): number {
  const letters = name.slice(3);
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 96);
  return (n - 1) * 16;
}

/** A volume's disk (volume-disk.ts): loop-mounted at `at` in the instance's outer namespace before its files are staged. */
export interface VolumeDisk {
  file: string;
  at: string;
}

/** What fills an attached volume: an overlay (a root filesystem over its image), its directory, or nothing (never formatted). */
export type VolumeFilesystem =
  | { kind: 'overlay'; lower: string; upper: string; work: string; disk?: VolumeDisk }
  | { kind: 'dir'; path: string; disk?: VolumeDisk }
  | { kind: 'raw' };

export interface BlockDevice {
  volumeId: string;
  name: string;
  sizeGiB: number;
  /** The AMI's root filesystem lives in partition 1 (xvdf1); other volumes' filesystem on the disk itself. */
  partitioned: boolean;
  /** Whether the filesystem is mounted for the guest (not for the root, which is `/`). */
  staged: boolean;
  /** The disk mounted under it while staged. */
  disk?: VolumeDisk;
}

interface Host {
  bundle: string;
  /** crun run's pid: its mount namespace is the instance's outer one, where the host's paths resolve. */
  outerPid: number;
  /** The guest's PID 1. */
  guestPid: number;
  /**
   * Runs a command as the guest's root inside the instance (crun exec: all its namespaces, its
   * cgroup, its seccomp profile). Never nsenter into only some of them: the guest's own binaries
   * would run in the host's network namespace (its loopback services) and outside its limits.
   */
  asGuestRoot: (args: string[]) => Promise<void>;
}

export class BlockDevices {
  private readonly devices = new Map<string, BlockDevice>();
  private readonly dirs: BlockDirs;

  constructor(private readonly h: Host) {
    this.dirs = blockDirs(h.bundle);
  }

  has(volumeId: string): boolean {
    return this.devices.has(volumeId);
  }

  list(): BlockDevice[] {
    return [...this.devices.values()];
  }

  /** The root volume: a disk and partition in lsblk; its filesystem is the instance's `/`. */
  async addRoot(volumeId: string, device: string, sizeGiB: number): Promise<void> {
    const d: BlockDevice = { volumeId, name: kernelName(device), sizeGiB, partitioned: true, staged: false };
    this.devices.set(volumeId, d);
    showDisk(this.dirs, d);
    await this.guestLinks([d.name, `${d.name}1`], 'add');
  }

  /** Hot plug: the disk appears in sysfs and /dev; its filesystem (if any) is mounted for the guest's `mount`. */
  async attach(volumeId: string, device: string, sizeGiB: number, fs: VolumeFilesystem, partitioned: boolean): Promise<void> {
    const d: BlockDevice = { volumeId, name: kernelName(device), sizeGiB, partitioned, staged: false };
    if ([...this.devices.values()].some((o) => o.name === d.name)) throw new Error(`device ${d.name} is already in use`);
    await this.stage(d, fs);
    this.devices.set(volumeId, d);
    showDisk(this.dirs, d);
    await this.guestLinks([d.name, ...(d.partitioned ? [`${d.name}1`] : [])], 'add');
  }

  /** The volume's filesystem, mounted by the engine where the guest's `mount` finds it (none for a raw disk). */
  private async stage(d: BlockDevice, fs: VolumeFilesystem): Promise<void> {
    if (fs.kind === 'raw') return;
    const at = join(this.dirs.blk, 'fs', this.fsName(d));
    mkdirSync(at, { recursive: true });
    // The host's mount(8) in the outer namespace (host root's files; never a guest binary).
    const mount = (a: string[]) => run('nsenter', ['-t', String(this.h.outerPid), '-m', '--', '/usr/bin/mount', ...a]);
    if (fs.disk) {
      mkdirSync(fs.disk.at, { recursive: true });
      await mount(['-o', MOUNT_OPTIONS, fs.disk.file, fs.disk.at]);
      d.disk = fs.disk;
    }
    const args =
      fs.kind === 'overlay'
        ? ['-t', 'overlay', 'overlay', '-o', `lowerdir=${fs.lower},upperdir=${fs.upper},workdir=${fs.work}`, at]
        : ['--bind', fs.path, at];
    try {
      await mount(args);
    } catch (e) {
      await this.unmountDisk(d);
      throw e;
    }
    d.staged = true;
  }

  private async unstage(d: BlockDevice): Promise<void> {
    if (!d.staged) return;
    const at = join(this.dirs.blk, 'fs', this.fsName(d));
    await run('nsenter', ['-t', String(this.h.outerPid), '-m', '--', '/usr/bin/umount', '-l', at]).catch(() => undefined);
    try {
      rmdirSync(at);
    } catch {
      // still a mount point somewhere (the lazy unmount finishes later): the next start clears the bundle
    }
    await this.unmountDisk(d);
    d.staged = false;
  }

  /** The disk's own mount in the outer namespace (its loop device autoclears when no namespace holds it). */
  private async unmountDisk(d: BlockDevice): Promise<void> {
    if (!d.disk) return;
    await run('nsenter', ['-t', String(this.h.outerPid), '-m', '--', '/usr/bin/umount', '-l', d.disk.at]).catch(() => undefined);
    d.disk = undefined;
  }

  /**
   * mkfs in the guest: the image's mkfs wrapper drops `<name>.mkfs` in the guest-writable ctl
   * directory and waits for `<name>.done` (or `<name>.error` with mkfs's complaint). `format`
   * empties the volume's bytes; the fresh filesystem is then mounted for the guest's `mount`.
   */
  watchFormatRequests(format: (volumeId: string, sizeGiB: number) => Promise<VolumeFilesystem>): () => void {
    const ctl = join(this.dirs.blk, 'ctl');
    let busy = Promise.resolve();
    const scan = () => {
      busy = busy.then(async () => {
        for (const f of readdirSafe(ctl).filter((n) => n.endsWith('.mkfs'))) {
          const name = f.slice(0, -'.mkfs'.length);
          try {
            rmSync(join(ctl, f), { force: true });
          } catch {
            continue; // not a file: ignored
          }
          // The directory is the guest's: never follow a link it planted (O_EXCL create, fchown on the fd).
          const reply = (kind: 'done' | 'error', text: string) => {
            const p = join(ctl, `${name}.${kind}`);
            try {
              rmSync(p, { force: true });
              const fd = openSync(p, 'wx', 0o644);
              try {
                writeSync(fd, text);
                fchownSync(fd, GUEST_UID_BASE, GUEST_UID_BASE);
              } finally {
                closeSync(fd);
              }
            } catch {
              // the guest raced us: its wrapper times out
            }
          };
          const d = [...this.devices.values()].find((x) => x.name === name || (x.partitioned && `${x.name}1` === name));
          if (!/^xvd[a-z]{1,2}1?$/.test(name) || !d) reply('error', `The file /dev/${name} does not exist and no size was specified.\n`);
          else if (!d.staged && d.partitioned) reply('error', `/dev/${name} contains a mounted filesystem (the instance's root): will not make a filesystem here!\n`);
          else if (this.isMounted(d.volumeId)) reply('error', `/dev/${name} is mounted; will not make a filesystem here!\n`);
          else if (d.partitioned) reply('error', `/dev/${name}: ec2lite does not reformat a volume made from an AMI's root filesystem\n`);
          else {
            try {
              await this.unstage(d);
              await this.stage(d, await format(d.volumeId, d.sizeGiB));
              reply('done', '');
            } catch (e) {
              reply('error', `/dev/${name}: ${e instanceof Error ? e.message : String(e)}\n`);
            }
          }
        }
      });
    };
    const w = watch(ctl, scan);
    w.on('error', () => undefined);
    return () => w.close();
  }

  /** ModifyVolume grew the volume: lsblk shows the new size now (the partition keeps its own, as before growpart). */
  resize(volumeId: string, sizeGiB: number): void {
    const d = this.devices.get(volumeId);
    if (!d) return;
    const sectors = sizeGiB * 2 ** 21;
    d.sizeGiB = sizeGiB;
    writeFileSync(join(this.dirs.sysDevices, d.name, 'size'), `${sectors}\n`);
  }

  /** The filesystem's mount points in the guest besides the engine's own (`mount /dev/xvdf1 /mnt/tempvol` made one). */
  guestMounts(volumeId: string): string[] {
    const d = this.devices.get(volumeId);
    if (!d?.staged) return [];
    const rows = mountinfo(this.h.guestPid);
    const own = join(GUEST_BLK, 'fs', this.fsName(d));
    const staged = rows.find((r) => r.mountPoint === own);
    if (!staged) return [];
    return rows
      .filter((r) => r !== staged && r.devno === staged.devno && (r.root === staged.root || r.root.startsWith(`${staged.root.replace(/\/$/, '')}/`)))
      .map((r) => r.mountPoint);
  }

  isMounted(volumeId: string): boolean {
    return this.guestMounts(volumeId).length > 0;
  }

  /** Hot unplug: the guest's mounts of it go (lazily, as a yanked disk's would fail), then the engine's, the node and sysfs entries. */
  async detach(volumeId: string): Promise<void> {
    const d = this.devices.get(volumeId);
    if (!d) return;
    const mounts = this.guestMounts(volumeId).sort((a, b) => b.length - a.length);
    if (mounts.length) await this.asGuestRoot(['/bin/umount', '-l', ...mounts]).catch(() => undefined);
    await this.unstage(d);
    this.devices.delete(volumeId);
    hideDisk(this.dirs, d);
    await this.guestLinks([d.name, `${d.name}1`], 'remove');
  }

  private fsName(d: BlockDevice): string {
    return d.partitioned ? `${d.name}1` : d.name;
  }

  /** /dev/<name> links in the guest's own /dev (a tmpfs of its user namespace: written as guest root). */
  async guestLinks(names: string[], op: 'add' | 'remove'): Promise<void> {
    const script =
      op === 'add'
        ? names.map((n) => `ln -sfn ${GUEST_BLK}/dev/${n} /dev/${n}`).join('; ')
        : `rm -f ${names.map((n) => `/dev/${n}`).join(' ')}`;
    await this.asGuestRoot(['/bin/sh', '-c', script]).catch(() => undefined);
  }

  /** A command as the guest's root, inside the instance (the guest's own binaries, with its own powers only). */
  private asGuestRoot(args: string[]): Promise<unknown> {
    return this.h.asGuestRoot(args);
  }
}

/** A disk's sysfs entries (what lsblk reads) and device nodes, in the bundle's directories. */
export function showDisk(dirs: BlockDirs, d: Pick<BlockDevice, 'name' | 'sizeGiB' | 'partitioned'>): void {
  const minor = minorOf(d.name);
  const sectors = d.sizeGiB * 2 ** 21;
  const disk = join(dirs.sysDevices, d.name);
  mkdirSync(disk, { recursive: true });
  const attrs = (dir: string, a: Record<string, string | number>) => {
    for (const [k, v] of Object.entries(a)) writeFileSync(join(dir, k), `${v}\n`);
  };
  attrs(disk, { dev: `${XVD_MAJOR}:${minor}`, size: sectors, ro: 0, removable: 0, range: 16, ext_range: 16, capability: 0 });
  mkdirSync(join(disk, 'queue'), { recursive: true });
  attrs(join(disk, 'queue'), { rotational: 0, logical_block_size: 512, physical_block_size: 512, minimum_io_size: 512, optimal_io_size: 0, read_ahead_kb: 128, discard_granularity: 0, discard_max_bytes: 0 });
  const link = (dir: string, name: string, target: string) => {
    rmSync(join(dir, name), { force: true });
    symlinkSync(target, join(dir, name));
  };
  link(dirs.sysBlock, d.name, `../devices/virtual/block/${d.name}`);
  link(dirs.sysClass, d.name, `../../devices/virtual/block/${d.name}`);
  link(dirs.sysDev, `${XVD_MAJOR}:${minor}`, `../../devices/virtual/block/${d.name}`);
  node(dirs, d.name, minor);
  if (d.partitioned) {
    const part = join(disk, `${d.name}1`);
    mkdirSync(part, { recursive: true });
    attrs(part, { dev: `${XVD_MAJOR}:${minor + 1}`, size: sectors - 2048, start: 2048, partition: 1, ro: 0 });
    link(dirs.sysClass, `${d.name}1`, `../../devices/virtual/block/${d.name}/${d.name}1`);
    link(dirs.sysDev, `${XVD_MAJOR}:${minor + 1}`, `../../devices/virtual/block/${d.name}/${d.name}1`);
    node(dirs, `${d.name}1`, minor + 1);
  }
}

export function hideDisk(dirs: BlockDirs, d: Pick<BlockDevice, 'name'>): void {
  const minor = minorOf(d.name);
  rmSync(join(dirs.sysDevices, d.name), { recursive: true, force: true });
  for (const [dir, name] of [
    [dirs.sysBlock, d.name],
    [dirs.sysClass, d.name],
    [dirs.sysClass, `${d.name}1`],
    [dirs.sysDev, `${XVD_MAJOR}:${minor}`],
    [dirs.sysDev, `${XVD_MAJOR}:${minor + 1}`],
    [join(dirs.blk, 'dev'), d.name],
    [join(dirs.blk, 'dev'), `${d.name}1`],
  ] as const) rmSync(join(dir, name), { force: true });
}

/** A block node (brw-rw---- root disk), as udev makes it; only ever stat()ed (see the header). */
function node(dirs: BlockDirs, name: string, minor: number): void {
  const p = join(dirs.blk, 'dev', name);
  if (existsSync(p)) return;
  if (spawnMknod(p, minor)) chownSync(p, GUEST_UID_BASE, GUEST_UID_BASE + DISK_GID);
}

/** Node has no mknod: the host's mknod(1), synchronously (one or two per attach). */
function spawnMknod(path: string, minor: number): boolean {
  return spawnSync('mknod', ['-m', '0660', path, 'b', String(XVD_MAJOR), String(minor)], { stdio: 'ignore' }).status === 0;
}

function readdirSafe(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}

interface MountRow {
  devno: string;
  root: string;
  mountPoint: string;
}

/** /proc/<pid>/mountinfo rows (octal escapes decoded). */
function mountinfo(pid: number): MountRow[] {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/mountinfo`, 'utf8');
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .map((f) => ({ devno: f[2]!, root: unescape(f[3]!), mountPoint: unescape(f[4]!) }));
}
