// Disks and filesystems: lsblk blkid file mount umount df fsck xfs_repair mkfs(.xfs/.ext4).
// Block devices follow Amazon Linux on Xen: AttachVolume's /dev/sdf shows up as /dev/xvdf, and
// a volume made from an image carries one partition (xvdf1), a blank volume none. A blank volume
// holds no filesystem until mkfs. Two XFS filesystems with the same UUID (two roots of one
// image) cannot be mounted together without `-o nouuid`, as on Amazon Linux.
import { randomUUID } from 'node:crypto';
import { isFsError } from '../../fs/errors.js';
import { resolvePath } from '../../fs/vfs.js';
import type { FsType, Volume } from '../../fs/volume.js';
import type { BlockDevice, Command, CommandContext } from '../types.js';
import { getopt, withUsage } from './util.js';
import { nvmeIndex, partitionName, xenDiskName } from '../../block-device-names.js';

/** /dev/sdf → xvdf, /dev/xvda → xvda, /dev/sda1 → xvda (the Xen kernel name of the disk, the udev link name on NVMe). */
export const kernelDiskName = xenDiskName;

interface DevRef {
  dev: BlockDevice;
  partition: boolean;
  canonical: string;
}

/**
 * Find the device a guest path names: its kernel name (/dev/xvdf1, /dev/nvme1n1p1) or, on NVMe
 * instances, the /dev/sdf or /dev/xvdf(1) links Amazon Linux's udev rules make to it.
 */
export function findDevice(devs: BlockDevice[], path: string): DevRef | undefined {
  const nvme = /^\/dev\/(nvme\d+n1)(p\d+)?$/.exec(path);
  const xen = /^\/dev\/((?:xv|s)d[a-z]+)(\d*)$/.exec(path);
  let dev: BlockDevice | undefined;
  let part: string | undefined;
  if (nvme) {
    dev = devs.find((d) => d.kernelName === nvme[1]);
    part = nvme[2] ? nvme[2].slice(1) : undefined;
  } else if (xen) {
    const disk = xenDiskName(`/dev/${xen[1]}`);
    dev = devs.find((d) => d.kernelName === disk) ?? devs.find((d) => d.kernelName.startsWith('nvme') && xenDiskName(d.apiDevice) === disk);
    part = xen[2] || undefined;
  }
  if (!dev) return undefined;
  if (part && part !== '1') return undefined;
  if (part && !dev.volume.partitioned) return undefined;
  return { dev, partition: !!part, canonical: `/dev/${part ? partitionName(dev.kernelName) : dev.kernelName}` };
}

/** The filesystem a device node holds: the partition of a partitioned disk, or a whole blank-made disk. */
const fsOn = (ref: DevRef): FsType | undefined => (ref.dev.volume.unformatted || ref.dev.volume.partitioned !== ref.partition ? undefined : ref.dev.volume.fsType);

function majMin(d: BlockDevice, part: boolean): string {
  const n = nvmeIndex(d.kernelName);
  if (n !== undefined) return `259:${n * 2 + (part ? 1 : 0)}`;
  const idx = d.kernelName.charCodeAt(3) - 97;
  return `202:${idx * 16 + (part ? 1 : 0)}`;
}

const deviceArg = (ctx: CommandContext, arg: string) => findDevice(ctx.sys.devices(), resolvePath(ctx.proc.cwd, arg));

const WRONG_FS = (target: string, src: string) =>
  `mount: ${target}: wrong fs type, bad option, bad superblock on ${src}, missing codepage or helper program, or other error.\n` +
  `       dmesg(1) may have more information after failed mount system call.\n`;

export const lsblk: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'falpdnJ', value: 'o' });
    const mounts = ctx.sys.vfs.mountTable();
    const mountOf = (d: BlockDevice) => mounts.find((m) => m.volume === d.volume)?.target ?? '';
    const rows: { name: string; majMin: string; size: string; type: string; mount: string; fs: string; uuid: string }[] = [];
    const devs = [...ctx.sys.devices()].sort((a, b) => a.kernelName.localeCompare(b.kernelName));
    for (const d of devs) {
      const size = `${d.sizeGiB}G`;
      const v = d.volume;
      const whole = !v.partitioned && !v.unformatted;
      rows.push({ name: d.kernelName, majMin: majMin(d, false), size, type: 'disk', mount: v.partitioned ? '' : mountOf(d), fs: whole ? v.fsType : '', uuid: whole ? v.uuid : '' });
      if (v.partitioned && !o.flags.has('d')) {
        rows.push({ name: `└─${partitionName(d.kernelName)}`, majMin: majMin(d, true), size: `${d.partSizeGiB ?? d.sizeGiB}G`, type: 'part', mount: mountOf(d), fs: v.fsType, uuid: v.uuid });
      }
    }
    const w = Math.max(4, ...rows.map((r) => r.name.length));
    if (o.flags.has('f')) {
      const uw = Math.max(4, ...rows.map((r) => r.uuid.length));
      ctx.io.out.write(`${'NAME'.padEnd(w)} FSTYPE FSVER LABEL ${'UUID'.padEnd(uw)} FSAVAIL FSUSE% MOUNTPOINTS\n`);
      for (const r of rows) {
        const ver = r.fs === 'ext4' ? '1.0' : r.fs ? '' : '';
        ctx.io.out.write(`${r.name.padEnd(w)} ${r.fs.padEnd(6)} ${ver.padEnd(5)} ${''.padEnd(5)} ${r.uuid.padEnd(uw)} ${''.padEnd(7)} ${''.padEnd(6)} ${r.mount}`.trimEnd() + '\n');
      }
      return 0;
    }
    const sw = Math.max(4, ...rows.map((r) => r.size.length));
    ctx.io.out.write(`${'NAME'.padEnd(w)} MAJ:MIN RM ${'SIZE'.padStart(sw)} RO TYPE MOUNTPOINTS\n`);
    for (const r of rows) ctx.io.out.write(`${r.name.padEnd(w)} ${r.majMin.padEnd(7)} ${'0'.padStart(2)} ${r.size.padStart(sw)} ${'0'.padStart(2)} ${r.type.padEnd(4)} ${r.mount}\n`);
    return 0;
  });

/** blkid: one line per device node that holds a filesystem. */
export const blkid: Command = (ctx) => {
  const all: DevRef[] = [];
  for (const d of [...ctx.sys.devices()].sort((a, b) => a.kernelName.localeCompare(b.kernelName))) {
    all.push({ dev: d, partition: false, canonical: `/dev/${d.kernelName}` });
    if (d.volume.partitioned) all.push({ dev: d, partition: true, canonical: `/dev/${partitionName(d.kernelName)}` });
  }
  const wanted = ctx.args.filter((a) => !a.startsWith('-'));
  const refs = wanted.length ? wanted.map((a) => deviceArg(ctx, a)) : all;
  let found = 0;
  for (const ref of refs) {
    if (!ref) continue;
    const fs = fsOn(ref);
    if (fs) {
      ctx.io.out.write(`${ref.canonical}: UUID="${ref.dev.volume.uuid}" BLOCK_SIZE="${fs === 'xfs' ? 512 : 4096}" TYPE="${fs}"${ref.partition ? ` PARTUUID="${partUuid(ref.dev.volume)}"` : ''}\n`);
      found++;
    } else if (!ref.partition && ref.dev.volume.partitioned) {
      ctx.io.out.write(`${ref.canonical}: PTUUID="${partUuid(ref.dev.volume).slice(0, 36)}" PTTYPE="gpt"\n`);
      found++;
    }
  }
  return found ? 0 : 2;
};

/** A stable partition UUID derived from the filesystem UUID (the table is not modelled further). */
const partUuid = (v: Volume) => (v.uuid ? v.uuid.split('').reverse().join('').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4').slice(0, 36) : '');

function describeDevice(ref: DevRef): string {
  const fs = fsOn(ref);
  const v = ref.dev.volume;
  if (fs === 'xfs') return 'SGI XFS filesystem data (blksz 4096, inosz 512, v2 dirs)';
  if (fs === 'ext4') return `Linux rev 1.0 ext4 filesystem data, UUID=${v.uuid} (extents) (64bit) (large files) (huge files)`;
  if (!ref.partition && v.partitioned) {
    const sectors = ref.dev.sizeGiB * 2097152 - 1;
    return `DOS/MBR boot sector; partition 1 : ID=0xee, start-CHS (0x0,0,2), end-CHS (0x3ff,255,63), startsector 1, ${sectors} sectors, extended partition table (last)`;
  }
  return 'data';
}

/** file: block devices (with -s, what they hold), directories, empty and text files. */
export const file: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'sLbz', long: { 'special-files': 's', brief: 'b' } });
    if (!o.operands.length) {
      ctx.io.err.write('Usage: file [-bchikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n            <file> ...\n');
      return 1;
    }
    for (const arg of o.operands) {
      const prefix = o.flags.has('b') ? '' : `${arg}: `;
      const ref = deviceArg(ctx, arg);
      if (ref) {
        if (!o.flags.has('s')) ctx.io.out.write(`${prefix}block special (${majMin(ref.dev, ref.partition).replace(':', '/')})\n`);
        else if (ctx.proc.cred.uid !== 0) ctx.io.out.write(`${prefix}cannot open \`${arg}' (Permission denied)\n`);
        else ctx.io.out.write(`${prefix}${describeDevice(ref)}\n`);
        continue;
      }
      const p = resolvePath(ctx.proc.cwd, arg);
      try {
        const st = ctx.sys.vfs.stat(ctx.proc.cred, p);
        if (st.type === 'dir') ctx.io.out.write(`${prefix}directory\n`);
        else if (st.size === 0) ctx.io.out.write(`${prefix}empty\n`);
        else {
          const data = ctx.sys.vfs.readFile(ctx.proc.cred, p);
          const text = !data.subarray(0, 4096).some((b) => b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13));
          const kind = data.subarray(0, 2).toString() === '#!' ? 'script, ASCII text executable' : text ? 'ASCII text' : 'data';
          ctx.io.out.write(`${prefix}${kind}\n`);
        }
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.out.write(`${prefix}cannot open \`${arg}' (${e.code === 'EACCES' ? 'Permission denied' : 'No such file or directory'})\n`);
      }
    }
    return 0;
  });

export const mount: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'arvwfn', value: 'to', long: { 'types=': 't', 'options=': 'o' } });
    const vfs = ctx.sys.vfs;
    const typeOf = (v: Volume) => v.fsType;
    if (!o.operands.length) {
      for (const m of vfs.mountTable()) {
        const opts = typeOf(m.volume) === 'xfs' ? 'rw,noatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota' : 'rw,relatime,seclabel';
        ctx.io.out.write(`${m.source} on ${m.target} type ${typeOf(m.volume)} (${opts})\n`);
      }
      return 0;
    }
    if (o.operands.length < 2) {
      ctx.io.err.write(`mount: ${o.operands[0]}: can't find in /etc/fstab.\n`);
      return 1;
    }
    const [source, target] = o.operands as [string, string];
    const t = resolvePath(ctx.proc.cwd, target);
    if (ctx.proc.cred.uid !== 0) {
      ctx.io.err.write(`mount: ${t}: must be superuser to use mount.\n`);
      return 32;
    }
    const src = resolvePath(ctx.proc.cwd, source);
    const ref = findDevice(ctx.sys.devices(), src);
    if (!ref) {
      ctx.io.err.write(`mount: ${t}: special device ${source} does not exist.\n`);
      return 32;
    }
    const already = vfs.mountOf(ref.dev.volume);
    if (already) {
      ctx.io.err.write(`mount: ${t}: ${ref.canonical} already mounted on ${already.target}.\n`);
      return 32;
    }
    let st;
    try {
      st = vfs.stat(ctx.proc.cred, t);
    } catch (e) {
      if (!isFsError(e)) throw e;
      ctx.io.err.write(`mount: ${t}: mount point does not exist.\n`);
      return 32;
    }
    if (st.type !== 'dir') {
      ctx.io.err.write(`mount: ${t}: mount point is not a directory.\n`);
      return 32;
    }
    if (vfs.isMountPoint(t)) {
      ctx.io.err.write(`mount: ${t}: ${ref.canonical} already mounted or mount point busy.\n`);
      return 32;
    }
    const fs = fsOn(ref);
    const wantType = o.flags.get('t');
    const options = (o.multi.get('o') ?? []).flatMap((x) => x.split(','));
    if (!fs || (typeof wantType === 'string' && wantType !== 'auto' && wantType !== fs)) {
      ctx.io.err.write(WRONG_FS(t, ref.canonical));
      return 32;
    }
    // XFS refuses a second filesystem with a UUID already mounted (two roots of one image).
    const vol = ref.dev.volume;
    if (fs === 'xfs' && vol.uuid && !options.includes('nouuid') && vfs.mountTable().some((m) => m.volume !== vol && m.volume.fsType === 'xfs' && m.volume.uuid === vol.uuid)) {
      ctx.io.err.write(WRONG_FS(t, ref.canonical));
      return 32;
    }
    vfs.mount(ref.canonical, vol, t);
    return 0;
  });

export const umount: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'flnrvdR', long: { lazy: 'l', force: 'f' } });
    const vfs = ctx.sys.vfs;
    let status = 0;
    if (!o.operands.length) {
      ctx.io.err.write('Usage:\n umount [-hV]\n umount -a [options]\n umount [options] <source> | <directory>\n');
      return 1;
    }
    for (const arg of o.operands) {
      const p = resolvePath(ctx.proc.cwd, arg);
      const m = vfs.mountTable().find((e) => e.target === p || e.source === p || (findDevice(ctx.sys.devices(), p)?.canonical === e.source && e.target !== '/'));
      if (ctx.proc.cred.uid !== 0) {
        ctx.io.err.write(`umount: ${p}: must be superuser to unmount.\n`);
        status = 32;
        continue;
      }
      if (!m || m.target === '/') {
        ctx.io.err.write(m ? `umount: /: target is busy.\n` : `umount: ${p}: not mounted.\n`);
        status = 32;
        continue;
      }
      const busy = ctx.sys.busyPaths().some((b) => b === m.target || b.startsWith(m.target + '/'));
      if (busy && !o.flags.has('l')) {
        ctx.io.err.write(`umount: ${m.target}: target is busy.\n`);
        status = 32;
        continue;
      }
      vfs.umount(m.target);
    }
    return status;
  });

export const df: Command = (ctx) => {
  const h = ctx.args.some((a) => /^-\w*h/.test(a));
  const withType = ctx.args.some((a) => /^-\w*T/.test(a));
  ctx.io.out.write(`Filesystem     ${withType ? 'Type ' : ''}${h ? ' Size  Used Avail' : '1K-blocks    Used Available'} Use% Mounted on\n`);
  for (const m of ctx.sys.vfs.mountTable()) {
    const dev = ctx.sys.devices().find((d) => d.volume === m.volume);
    const size = (dev ? fsSizeGiB(dev) : 8) * 1024 * 1024;
    const used = Math.ceil(m.volume.usedBytes / 1024);
    const pct = `${Math.max(1, Math.ceil((used / size) * 100))}%`;
    const fmt = (k: number) => (h ? (k >= 1024 * 1024 ? `${(k / 1024 / 1024).toFixed(1)}G` : `${Math.ceil(k / 1024)}M`) : String(k));
    const type = withType ? `${m.volume.fsType.padEnd(4)} ` : '';
    ctx.io.out.write(`${m.source.padEnd(14)} ${type}${fmt(size).padStart(h ? 5 : 9)} ${fmt(used).padStart(h ? 5 : 7)} ${fmt(size - used).padStart(h ? 5 : 9)} ${pct.padStart(4)} ${m.target}\n`);
  }
  return 0;
};

/** fsck: XFS points at xfs_repair (as fsck.xfs does); ext4 is checked and found clean. */
export const fsck: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'aAnNprRsVfy', value: 't' });
    const e2 = ctx.name === 'e2fsck' || ctx.name === 'fsck.ext4';
    if (!e2) ctx.io.out.write('fsck from util-linux 2.37.4\n');
    let status = 0;
    for (const arg of o.operands) {
      const ref = deviceArg(ctx, arg);
      if (!ref) {
        ctx.io.err.write(`${e2 ? 'e2fsck' : 'fsck'}: ${arg}: No such file or directory\n`);
        status = 8;
        continue;
      }
      const fs = fsOn(ref);
      if (fs === 'xfs' && !e2) {
        ctx.io.out.write('If you wish to check the consistency of an XFS filesystem or\nrepair a damaged filesystem, see xfs_repair(8).\n');
        continue;
      }
      ctx.io.out.write('e2fsck 1.46.5 (30-Dec-2021)\n');
      if (ctx.proc.cred.uid !== 0) {
        ctx.io.err.write(`e2fsck: Permission denied while trying to open ${ref.canonical}\nYou must have r/w access to the filesystem or be root\n`);
        status = 8;
      } else if (fs !== 'ext4') {
        ctx.io.err.write(`ext2fs_open2: Bad magic number in super-block\ne2fsck: Superblock invalid, trying backup blocks....\ne2fsck: Bad magic number in super-block while trying to open ${ref.canonical}\n`);
        status = 8;
      } else if (ctx.sys.vfs.mountOf(ref.dev.volume)) {
        ctx.io.err.write(`${ref.canonical} is mounted.\ne2fsck: Cannot continue, aborting.\n\n`);
        status = 8;
      } else {
        const v = ref.dev.volume;
        const blocks = ref.dev.sizeGiB * 262144;
        ctx.io.out.write(`${ref.canonical}: clean, ${v.inodeCount}/${ref.dev.sizeGiB * 65536} files, ${Math.ceil(v.usedBytes / 4096) + 4 * ref.dev.sizeGiB * 1024}/${blocks} blocks\n`);
      }
    }
    return status;
  });

/** xfs_repair: a clean filesystem goes through the phases; a mounted one is refused. */
export const xfsRepair: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'nLvdP', value: 'mlrc' });
    const arg = o.operands[0];
    const ref = arg === undefined ? undefined : deviceArg(ctx, arg);
    if (!ref || arg === undefined) {
      ctx.io.err.write(arg === undefined ? 'Usage: xfs_repair [options] device\n' : `xfs_repair: cannot open ${arg}: No such file or directory\n`);
      return 1;
    }
    if (ctx.proc.cred.uid !== 0) {
      ctx.io.err.write(`xfs_repair: cannot open ${ref.canonical}: Permission denied\n`);
      return 1;
    }
    if (ctx.sys.vfs.mountOf(ref.dev.volume)) {
      ctx.io.err.write(`xfs_repair: ${ref.canonical} contains a mounted filesystem\nxfs_repair: ${ref.canonical} contains a mounted and writable filesystem\n\nfatal error -- couldn't initialize XFS library\n`);
      return 1;
    }
    if (fsOn(ref) !== 'xfs') {
      ctx.io.out.write('Phase 1 - find and verify superblock...\nbad primary superblock - bad magic number !!!\n\nattempting to find secondary superblock...\n');
      ctx.io.err.write('\nSorry, could not find valid secondary superblock\nExiting now.\n');
      return 1;
    }
    ctx.io.out.write(
      [
        'Phase 1 - find and verify superblock...',
        'Phase 2 - using internal log',
        '        - zero log...',
        '        - scan filesystem freespace and inode maps...',
        '        - found root inode chunk',
        'Phase 3 - for each AG...',
        '        - scan and clear agi unlinked lists...',
        '        - process known inodes and perform inode discovery...',
        '        - process newly discovered inodes...',
        'Phase 4 - check for duplicate blocks...',
        '        - setting up duplicate extent list...',
        '        - check for inodes claiming duplicate blocks...',
        'Phase 5 - rebuild AG headers and trees...',
        '        - reset superblock...',
        'Phase 6 - check inode connectivity...',
        '        - resetting contents of realtime bitmap and summary inodes',
        '        - traversing filesystem ...',
        '        - traversal finished ...',
        '        - moving disconnected inodes to lost+found ...',
        'Phase 7 - verify and correct link counts...',
        'done',
        '',
      ].join('\n'),
    );
    return 0;
  });

/** mkfs.xfs / mkfs.ext4 / mkfs -t TYPE: a new empty filesystem on a disk or partition. */
export const mkfs: Command = async (ctx) =>
  withUsage(ctx, async () => {
    let type: FsType | undefined = ctx.name === 'mkfs.xfs' ? 'xfs' : ctx.name === 'mkfs.ext4' ? 'ext4' : undefined;
    const o = getopt(ctx.args, { bool: 'fFqV', value: 'tLbmNU' });
    if (!type) {
      const t = o.flags.get('t');
      if (t === 'xfs' || t === 'ext4') type = t;
      else {
        ctx.io.err.write(`mkfs: failed to execute mkfs.${typeof t === 'string' ? t : 'ext2'}: No such file or directory\n`);
        return 1;
      }
    }
    const arg = o.operands[0];
    if (arg === undefined) {
      ctx.io.err.write(type === 'xfs' ? 'mkfs.xfs: no device name given in argument list\n' : 'Usage: mkfs.ext4 [-c|-l filename] [-b block-size] ... device [blocks-count]\n');
      return 1;
    }
    const ref = deviceArg(ctx, arg);
    if (!ref) {
      ctx.io.err.write(type === 'xfs' ? `Error accessing specified device ${arg}: No such file or directory\n` : `mke2fs 1.46.5 (30-Dec-2021)\nThe file ${arg} does not exist and no size was specified.\n`);
      return 1;
    }
    if (ctx.proc.cred.uid !== 0) {
      ctx.io.err.write(type === 'xfs' ? `mkfs.xfs: cannot open ${ref.canonical}: Permission denied\n` : `mke2fs 1.46.5 (30-Dec-2021)\nCould not open ${ref.canonical}: Permission denied\n`);
      return 1;
    }
    const v = ref.dev.volume;
    if (ctx.sys.vfs.mountOf(v)) {
      ctx.io.err.write(type === 'xfs' ? `mkfs.xfs: ${ref.canonical} contains a mounted filesystem\n` : `mke2fs 1.46.5 (30-Dec-2021)\n${ref.canonical} is apparently in use by the system; will not make a filesystem here!\n`);
      return 1;
    }
    const existing = !ref.partition && v.partitioned ? 'gpt' : fsOn(ref);
    const force = o.flags.has(type === 'xfs' ? 'f' : 'F');
    if (existing && !force) {
      if (type === 'xfs') {
        const what = existing === 'gpt' ? 'a partition table (gpt)' : `an existing filesystem (${existing})`;
        ctx.io.err.write(`mkfs.xfs: ${ref.canonical} appears to contain ${what}.\nmkfs.xfs: Use the -f option to force overwrite.\n`);
        return 1;
      }
      ctx.io.out.write(`mke2fs 1.46.5 (30-Dec-2021)\n${ref.canonical} contains a ${existing === 'gpt' ? 'partition table' : `${existing} file system`}\nProceed anyway? (y,N) `);
      const answer = ((await ctx.io.input.readLine())?.line ?? '').trim().toLowerCase();
      if (!answer.startsWith('y')) return 1;
    }
    const uuid = randomUUID();
    const now = ctx.sys.now();
    // Formatting the raw disk of a partitioned volume wipes its partition table.
    v.format(type, uuid, now, ref.partition);
    const blocks = ref.dev.sizeGiB * 262144;
    if (type === 'ext4') {
      v.create(v.get(v.rootIno), 'lost+found', 'dir', 0o700, 0, 0, now, 'lost+found');
      if (!existing || force) ctx.io.out.write('mke2fs 1.46.5 (30-Dec-2021)\n');
      ctx.io.out.write(
        `Creating filesystem with ${blocks} 4k blocks and ${ref.dev.sizeGiB * 65536} inodes\nFilesystem UUID: ${uuid}\n` +
          'Superblock backups stored on blocks: \n\t32768, 98304, 163840, 229376\n\n' +
          'Allocating group tables: done                            \nWriting inode tables: done                            \n' +
          'Creating journal (8192 blocks): done\nWriting superblocks and filesystem accounting information: done\n\n',
      );
      return 0;
    }
    const pad = (s: string) => s.padEnd(23);
    ctx.io.out.write(
      [
        `meta-data=${pad(ref.canonical)}isize=512    agcount=4, agsize=${blocks / 4} blks`,
        `         =                       sectsz=512   attr=2, projid32bit=1`,
        `         =                       crc=1        finobt=1, sparse=1, rmapbt=0`,
        `         =                       reflink=1    bigtime=1 inobtcount=1`,
        `data     =                       bsize=4096   blocks=${blocks}, imaxpct=25`,
        `         =                       sunit=0      swidth=0 blks`,
        `naming   =version 2              bsize=4096   ascii-ci=0, ftype=1`,
        `log      =internal log           bsize=4096   blocks=16384, version=2`,
        `         =                       sectsz=512   sunit=0 blks, lazy-count=1`,
        `realtime =none                   extsz=4096   blocks=0, rtextents=0`,
        '',
      ].join('\n'),
    );
    return 0;
  });

/** The filesystem's size: the disk's, unless the disk grew and the filesystem was not grown yet. */
export const fsSizeGiB = (d: BlockDevice): number => d.fsSizeGiB ?? d.partSizeGiB ?? d.sizeGiB;

export const DISK_COMMANDS: Record<string, Command> = {
  lsblk,
  blkid,
  file,
  mount,
  umount,
  df,
  fsck,
  'fsck.ext4': fsck,
  e2fsck: fsck,
  'fsck.xfs': fsck,
  xfs_repair: xfsRepair,
  mkfs,
  'mkfs.xfs': mkfs,
  'mkfs.ext4': mkfs,
};
