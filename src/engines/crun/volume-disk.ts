// Bounded EBS volumes for real instances. A volume's files live in an ext4 filesystem inside a
// sparse file of the volume's size (`<vol>/disk`, holding `upper/` and `work/` for overlayfs), so a
// guest sees its volume's size in `df` and gets ENOSPC at it, and can never fill the host's disk.
//
// The filesystem is loop-mounted only inside private mount namespaces, at `<vol>/fs`: the
// instance's own (guest.ts, block-devices.ts) or a throw-away one for a host-side copy (`inDisk`).
// util-linux's `mount -o loop` sets the loop device to autoclear and reuses the device another
// namespace already has for the same file (one superblock, never two writers), so the mount and
// the loop device go with the namespace's last process: nothing outlives the server, kill -9
// included. `discard` hands freed blocks back to the host (the loop device punches holes).
//
// A volume made from a snapshot (or one from before disks) starts as a plain `<vol>/upper`
// directory: its first mount, when the size is known, makes the disk and moves the files in.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GUEST_UID_BASE } from './images.js';
import type { SpareDisks } from './spare-disks.js';

const run = promisify(execFile);

export const MOUNT_OPTIONS = 'loop,discard';
const GiB = 2 ** 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const diskFile = (volDir: string): string => join(volDir, 'disk');
export const diskMountPoint = (volDir: string): string => join(volDir, 'fs');

/** Loop devices whose backing file is under `prefix` (sysfs; a deleted file shows with " (deleted)"). */
export function loopsUnder(prefix: string): { device: string; file: string }[] {
  const out: { device: string; file: string }[] = [];
  let names: string[];
  try {
    names = readdirSync('/sys/block').filter((n) => n.startsWith('loop'));
  } catch {
    return out;
  }
  for (const n of names) {
    try {
      const file = readFileSync(`/sys/block/${n}/loop/backing_file`, 'utf8').trim();
      if (file.startsWith(prefix)) out.push({ device: `/dev/${n}`, file: file.replace(/ \(deleted\)$/, '') });
    } catch {
      // not bound
    }
  }
  return out;
}

/**
 * Waits until no loop device holds the file: every namespace that mounted it has gone (the last
 * one's exit unmounts it; the autoclear follows). A stop waits for this so that the next start,
 * a resize or a DeleteOnTermination finds the disk free.
 */
export async function waitLoopFree(file: string, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!loopsUnder(file).some((l) => l.file === file)) return true;
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
}

/**
 * Runs a shell script with the volume's filesystem mounted at $F (`<vol>/fs`) in a throw-away
 * private mount namespace (it and the loop device go when the script ends, or when the server dies).
 */
export async function inDisk(volDir: string, script: string, args: string[] = []): Promise<void> {
  await run(
    'setpriv',
    ['--pdeathsig', 'KILL', '--', 'unshare', '-m', '--propagation', 'private', '--', '/bin/sh', '-ec', `mount -o ${MOUNT_OPTIONS} "$D" "$F"\n${script}`, 'sh', ...args],
    { env: { ...process.env, D: diskFile(volDir), F: diskMountPoint(volDir) } },
  );
}

/**
 * mkfs.ext4 on a sparse file: nothing is zeroed (the file reads as zeros), so it costs a few MB.
 * No reserved blocks (-m 0): overlayfs writes with its mounter's (host root's) credentials, so
 * every guest user could use root's 5%; without them `df`'s Avail is where ENOSPC comes.
 */
async function mkfs(file: string, sizeGiB: number, contents?: string): Promise<void> {
  rmSync(file, { force: true });
  await run('truncate', ['-s', String(sizeGiB * GiB), file]);
  const populate = contents ? ['-d', contents] : [];
  try {
    await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'assume_storage_prezeroed=1', ...populate, file]);
  } catch {
    // e2fsprogs before 1.47: the same without that option (tables are zeroed lazily; noinit_itable not needed for a small fs)
    await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'lazy_itable_init=1,lazy_journal_init=1', ...populate, file]);
  }
}

/**
 * A new volume's disk: mkfs writes the overlay's two empty directories itself (owned by guest
 * root) from a skeleton beside the file, no mount needed.
 */
export async function makeBlankDisk(file: string, sizeGiB: number): Promise<void> {
  const skeleton = `${file}.skeleton`;
  rmSync(skeleton, { recursive: true, force: true });
  for (const d of ['upper', 'work']) {
    mkdirSync(join(skeleton, d), { recursive: true, mode: 0o755 });
    chownSync(join(skeleton, d), GUEST_UID_BASE, GUEST_UID_BASE);
  }
  try {
    await mkfs(file, sizeGiB, skeleton);
  } finally {
    rmSync(skeleton, { recursive: true, force: true });
  }
}

/**
 * The volume's disk exists with at least `sizeGiB`: made (moving a pending `<vol>/upper` in) or
 * grown (when no namespace has it mounted: EC2's cloud-init grows the root at boot the same way).
 */
export async function ensureDisk(volDir: string, sizeGiB: number, log?: (line: string) => void, spares?: SpareDisks): Promise<void> {
  const file = diskFile(volDir);
  mkdirSync(diskMountPoint(volDir), { recursive: true });
  if (existsSync(file)) {
    if (statSync(file).size >= sizeGiB * GiB) return;
    if (!(await waitLoopFree(file, 0))) {
      log?.(`${volDir}: not grown to ${sizeGiB} GiB now (mounted); it grows at its next mount`);
      return;
    }
    await run('truncate', ['-s', String(sizeGiB * GiB), file]);
    await run('e2fsck', ['-f', '-p', file]).catch((e: { code?: number }) => {
      if ((e.code ?? 8) > 1) throw e; // 1: errors corrected
    });
    await run('resize2fs', [file]);
    return;
  }
  const seed = join(volDir, 'upper');
  if (!existsSync(seed) || readdirSync(seed).length === 0) {
    // A new volume: a spare blank disk if one is ready, else one made now.
    rmSync(seed, { recursive: true, force: true });
    if (!spares?.take(sizeGiB, file)) await makeBlankDisk(file, sizeGiB);
    rmSync(join(volDir, 'work'), { recursive: true, force: true });
    return;
  }
  await mkfs(file, sizeGiB);
  const g = `${GUEST_UID_BASE}:${GUEST_UID_BASE}`;
  await inDisk(
    volDir,
    `if [ -d "$1" ]; then cp -a "$1" "$F/upper"; else mkdir "$F/upper"; fi; mkdir "$F/work"; chown ${g} "$F/work"; chown ${g} "$F/upper"`,
    [seed],
  );
  rmSync(seed, { recursive: true, force: true });
  rmSync(join(volDir, 'work'), { recursive: true, force: true });
}
