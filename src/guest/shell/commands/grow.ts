// Growing into a larger disk after ModifyVolume, as AWS's "Extend the file system" page does it:
// `growpart /dev/xvda 1` grows the partition to the disk, then `resize2fs /dev/xvda1` (ext4) or
// `xfs_growfs -d /` (XFS, by mount point) grows the filesystem. Sizes are the device's
// partSizeGiB/fsSizeGiB (set when the disk grew); outputs follow cloud-utils and e2fsprogs.
import { resolvePath } from '../../fs/vfs.js';
import type { BlockDevice, Command } from '../types.js';
import { findDevice, fsSizeGiB } from './disks.js';

const SECTORS_PER_GIB = 2097152;
const START = 4096;
/** Sectors of partition 1 on a disk of `gib` GiB (GPT keeps 33 sectors at the end). */
const partSectors = (gib: number) => gib * SECTORS_PER_GIB - START - 33;
const blocks4k = (gib: number) => gib * 262144;

export const growpart: Command = (ctx) => {
  const args = ctx.args.filter((a) => !a.startsWith('-'));
  if (args.length !== 2) {
    ctx.io.err.write('growpart disk partition\n   rewrite partition table so that partition takes up all the space it can\n');
    return 2;
  }
  const [disk, part] = args as [string, string];
  const ref = findDevice(ctx.sys.devices(), resolvePath(ctx.proc.cwd, disk));
  if (!ref || ref.partition) {
    ctx.io.err.write(`FAILED: ${disk}: does not exist\n`);
    return 2;
  }
  const d = ref.dev;
  if (part !== '1' || !d.volume.partitioned) {
    ctx.io.err.write(`FAILED: ${disk}: partition ${part} does not exist\n`);
    return 2;
  }
  const old = partSectors(d.partSizeGiB ?? d.sizeGiB);
  if (d.partSizeGiB === undefined) {
    ctx.io.out.write(`NOCHANGE: partition 1 is size ${old}. it cannot be grown\n`);
    return 1;
  }
  const now = partSectors(d.sizeGiB);
  d.partSizeGiB = undefined;
  ctx.io.out.write(`CHANGED: partition=1 start=${START} old: size=${old} end=${START + old} new: size=${now} end=${START + now}\n`);
  return 0;
};

/** The size the filesystem can grow to: the partition's, or the whole disk's. */
const roomGiB = (d: BlockDevice) => (d.volume.partitioned ? (d.partSizeGiB ?? d.sizeGiB) : d.sizeGiB);

export const resize2fs: Command = (ctx) => {
  const args = ctx.args.filter((a) => !a.startsWith('-'));
  ctx.io.err.write('resize2fs 1.46.5 (30-Dec-2021)\n');
  if (!args.length) {
    ctx.io.err.write('Usage: resize2fs [-d debug_flags] [-f] [-F] [-M] [-P] [-p] device [-b|-s|new_size] [-S RAID-stride] [-z undo_file]\n\n');
    return 1;
  }
  const ref = findDevice(ctx.sys.devices(), resolvePath(ctx.proc.cwd, args[0]!));
  const d = ref?.dev;
  if (!ref || !d || d.volume.unformatted || d.volume.partitioned !== ref.partition) {
    ctx.io.err.write(`resize2fs: No such file or directory while trying to open ${args[0]}\nCouldn't find valid filesystem superblock.\n`);
    return 1;
  }
  if (d.volume.fsType !== 'ext4') {
    ctx.io.err.write(`resize2fs: Bad magic number in super-block while trying to open ${ref.canonical}\nCouldn't find valid filesystem superblock.\n`);
    return 1;
  }
  const room = roomGiB(d);
  if (fsSizeGiB(d) >= room) {
    ctx.io.err.write(`The filesystem is already ${blocks4k(fsSizeGiB(d))} (4k) blocks long.  Nothing to do!\n\n`);
    return 0;
  }
  const m = ctx.sys.vfs.mountTable().find((x) => x.volume === d.volume);
  if (m) ctx.io.err.write(`Filesystem at ${ref.canonical} is mounted on ${m.target}; on-line resizing required\nold_desc_blocks = 1, new_desc_blocks = ${Math.ceil(room / 128)}\n`);
  d.fsSizeGiB = room === d.sizeGiB ? undefined : room;
  ctx.io.out.write(`The filesystem on ${ref.canonical} is now ${blocks4k(room)} (4k) blocks long.\n\n`);
  return 0;
};

export const xfsGrowfs: Command = (ctx) => {
  const args = ctx.args.filter((a) => !a.startsWith('-'));
  if (!args.length) {
    ctx.io.err.write('Usage: xfs_growfs [options] mountpoint\n');
    return 1;
  }
  const arg = resolvePath(ctx.proc.cwd, args[0]!);
  const mounts = ctx.sys.vfs.mountTable();
  // A mount point, or the device of a mounted filesystem.
  const m = mounts.find((x) => x.target === arg) ?? mounts.find((x) => x.source === arg);
  const d = m && ctx.sys.devices().find((x) => x.volume === m.volume);
  if (!m || !d || d.volume.fsType !== 'xfs') {
    ctx.io.err.write(`xfs_growfs: ${args[0]} is not a mounted XFS filesystem\n`);
    return 1;
  }
  const before = blocks4k(fsSizeGiB(d));
  const room = roomGiB(d);
  ctx.io.out.write(
    `meta-data=${m.source.padEnd(22)} isize=512    agcount=4, agsize=${before / 4} blks\n` +
      `         =                       sectsz=512   attr=2, projid32bit=1\n` +
      `data     =                       bsize=4096   blocks=${before}, imaxpct=25\n` +
      `naming   =version 2              bsize=4096   ascii-ci=0, ftype=1\n` +
      `log      =internal log           bsize=4096   blocks=16384, version=2\n` +
      `realtime =none                   extsz=4096   blocks=0, rtextents=0\n`,
  );
  if (fsSizeGiB(d) < room) {
    d.fsSizeGiB = room === d.sizeGiB ? undefined : room;
    ctx.io.out.write(`data blocks changed from ${before} to ${blocks4k(room)}\n`);
  }
  return 0;
};

export const GROW_COMMANDS: Record<string, Command> = { growpart, resize2fs, xfs_growfs: xfsGrowfs };
