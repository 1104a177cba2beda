// Where the crun engine keeps volume and snapshot contents, named by operation as the guest-engine
// port's VolumeBytes is (issue 21; the same method set, so it plugs in as the engine's `volumes`):
// files it owns. A volume is an ext4 filesystem in a sparse file of the volume's size
// (volume-disk.ts) holding an overlay upper directory over its image (recorded in `origin`), or,
// until its first mount tells its size, a plain upper directory (a volume made from a snapshot); a
// snapshot is a copy of a volume's upper directory (hard links when copying a snapshot, which
// never changes). Bytes are not portable between hosts: the instance is pinned to the node that
// has them.
//
//   <stateDir>/volumes/<vol-id>/{disk,fs,origin}   (or {upper,work,origin} before its first mount)
//   <stateDir>/snapshots/<snap-id>/{upper,origin}
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GUEST_UID_BASE } from './images.js';
import type { SpareDisks } from './spare-disks.js';
import { diskFile, ensureDisk, inDisk } from './volume-disk.js';

const run = promisify(execFile);

/**
 * `cp -a` that forgives only files that vanished while it copied (its status is 1 then too): a
 * complaint other than "cannot stat/open …: No such file or directory" fails the copy.
 */
const LIVE_COPY =
  'copy() { err=$(cp -a "$@" 2>&1 >/dev/null) && return 0; echo "$err" | grep -Ev "^cp: cannot (stat|open) .*: No such file or directory$" >&2 && return 1; return 0; }; copy';

export class CrunVolumeBytes {
  /** `spares`: blank disks made ahead (spare-disks.ts), for new volumes. */
  constructor(
    private readonly stateDir: string,
    private readonly spares?: SpareDisks,
  ) {}

  volumeDir(volumeId: string): string {
    return join(this.stateDir, 'volumes', volumeId);
  }

  private snapshotDir(snapshotId: string): string {
    return join(this.stateDir, 'snapshots', snapshotId);
  }

  private originOf(id: string): { image?: string | null; source?: string | null; formatted?: boolean } {
    const dir = id.startsWith('snap-') ? this.snapshotDir(id) : this.volumeDir(id);
    try {
      return JSON.parse(readFileSync(join(dir, 'origin'), 'utf8')) as { image?: string; formatted?: boolean };
    } catch {
      return {};
    }
  }

  /** The image key a volume's (or snapshot's) upper directory lies over, if any. */
  origin(id: string): string | undefined {
    return this.originOf(id).image ?? undefined;
  }

  /**
   * Whether the volume holds a filesystem: one made from an image or a snapshot of one does; a
   * blank volume not until it is formatted in a guest (mkfs).
   */
  formatted(volumeId: string): boolean {
    const o = this.originOf(volumeId);
    return Boolean(o.image) || o.formatted === true;
  }

  /** Whether the volume's files are in its disk (else in a plain upper directory, or none yet). */
  hasDisk(volumeId: string): boolean {
    return existsSync(diskFile(this.volumeDir(volumeId)));
  }

  /** The volume's disk, made or grown to `sizeGiB` (at its mount: the size is known then). */
  ensureDisk(volumeId: string, sizeGiB: number, log?: (line: string) => void): Promise<void> {
    return this.serially(volumeId, () => ensureDisk(this.volumeDir(volumeId), sizeGiB, log, this.spares));
  }

  /**
   * One disk operation at a time per volume (making it, a snapshot's or a mkfs's mount): a start
   * and an attach must not both make it, and two throw-away mounts of one disk must not race to
   * set up two loop devices for it.
   */
  private serially<T>(volumeId: string, op: () => Promise<T>): Promise<T> {
    const prev = this.pending.get(volumeId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(op);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.pending.set(volumeId, settled);
    void settled.then(() => {
      if (this.pending.get(volumeId) === settled) this.pending.delete(volumeId);
    });
    return next;
  }

  private readonly pending = new Map<string, Promise<void>>();

  /** mkfs in a guest: the volume's files go, an empty filesystem of `sizeGiB` stays. */
  async format(volumeId: string, sizeGiB: number): Promise<void> {
    const dir = this.volumeDir(volumeId);
    const o = this.originOf(volumeId);
    for (const d of ['upper', 'work']) rmSync(join(dir, d), { recursive: true, force: true });
    if (this.hasDisk(volumeId)) {
      const g = `${GUEST_UID_BASE}:${GUEST_UID_BASE}`;
      await this.serially(volumeId, () => inDisk(dir, `rm -rf "$F/upper" "$F/work"; mkdir "$F/upper" "$F/work"; chown ${g} "$F/upper" "$F/work"`));
    } else await this.ensureDisk(volumeId, sizeGiB);
    writeFileSync(join(dir, 'origin'), JSON.stringify({ ...o, image: null, formatted: true }));
  }

  async create(volumeId: string, source?: string): Promise<void> {
    const dir = this.volumeDir(volumeId);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    let image: string | undefined;
    let formatted = false;
    if (source?.startsWith('image:')) image = source.slice('image:'.length);
    else if (source) {
      const from = this.snapshotDir(source);
      if (!existsSync(join(from, 'upper'))) throw new Error(`no contents for ${source}`);
      await run('cp', ['-a', '--reflink=auto', join(from, 'upper'), join(dir, 'upper')]);
      image = this.origin(source);
      formatted = this.originOf(source).formatted === true;
    }
    for (const d of ['upper', 'work']) {
      const p = join(dir, d);
      if (!existsSync(p)) mkdirSync(p);
      chownSync(p, GUEST_UID_BASE, GUEST_UID_BASE);
    }
    writeFileSync(join(dir, 'origin'), JSON.stringify({ image: image ?? null, source: source ?? null, formatted }));
  }

  /** Whether this engine holds bytes for a volume or snapshot id (the runtime routes operations on it here). */
  async holds(id: string): Promise<boolean> {
    const dir = id.startsWith('snap-') ? this.snapshotDir(id) : this.volumeDir(id);
    return existsSync(join(dir, 'upper')) || (!id.startsWith('snap-') && existsSync(diskFile(dir)));
  }

  async exists(volumeId: string): Promise<boolean> {
    return this.holds(volumeId);
  }

  async snapshot(volumeId: string, snapshotId: string): Promise<void> {
    const from = this.volumeDir(volumeId);
    if (!(await this.holds(volumeId))) throw new Error(`no contents for ${volumeId}`);
    const to = this.snapshotDir(snapshotId);
    rmSync(to, { recursive: true, force: true });
    mkdirSync(to, { recursive: true });
    // From the disk through a mount of its own (the same loop device and superblock as a running instance's).
    // A running instance's files come and go during the copy (cloud-init's stages, its programs): a
    // file gone by the time cp reaches it is not in the snapshot, as on a disk snapshotted live;
    // any other error fails it.
    if (this.hasDisk(volumeId)) await this.serially(volumeId, () => inDisk(from, `${LIVE_COPY} "$F/upper" "$1"`, [join(to, 'upper')]));
    else await run('/bin/sh', ['-c', `${LIVE_COPY} --reflink=auto "$1" "$2"`, 'sh', join(from, 'upper'), join(to, 'upper')]);
    writeFileSync(join(to, 'origin'), JSON.stringify({ image: this.origin(volumeId) ?? null, source: volumeId, formatted: this.formatted(volumeId) }));
  }

  async copySnapshot(fromSnapshotId: string, toSnapshotId: string): Promise<void> {
    const from = this.snapshotDir(fromSnapshotId);
    if (!existsSync(join(from, 'upper'))) throw new Error(`no contents for ${fromSnapshotId}`);
    const to = this.snapshotDir(toSnapshotId);
    rmSync(to, { recursive: true, force: true });
    mkdirSync(to, { recursive: true });
    await run('cp', ['-al', join(from, 'upper'), join(to, 'upper')]);
    writeFileSync(join(to, 'origin'), readFileSync(join(from, 'origin')));
  }

  async forgetSnapshot(snapshotId: string): Promise<void> {
    rmSync(this.snapshotDir(snapshotId), { recursive: true, force: true });
  }

  async remove(volumeId: string): Promise<void> {
    rmSync(this.volumeDir(volumeId), { recursive: true, force: true });
  }

  async storedBytes(id: string): Promise<number> {
    const dir = id.startsWith('snap-') ? this.snapshotDir(id) : this.volumeDir(id);
    if (!existsSync(dir)) return 0;
    // Allocated bytes: a disk is a sparse file of the volume's size.
    return Number((await run('du', ['-sB1', dir])).stdout.split('\t')[0]);
  }
}
