// The files of an instance's root volume while its overlay is NOT mounted: reads see what the
// guest would (upper over the image's lower), writes go into the upper directory with the owner
// and mode the guest expects. First boot writes this way before the overlay is mounted, because
// writing into an upper directory under a mounted overlay is undefined behaviour.
//
// The upper directory is the guest's: a symlink in it (left by the instance's last boot, or in a
// snapshot or AMI it was made from) would resolve against the HOST's root when followed from here,
// as root — `/etc/shadow -> /etc/shadow` would copy the host's hashes in, `user-data ->
// /etc/cron.d/x` would write the host. So nothing here follows a symlink of the upper directory:
// a symlink where a file is written is replaced, one on the way to it (or where a file is read)
// refuses the operation (UnsafeGuestPathError). No guest process runs meanwhile, so the checks
// cannot race. The lower directory is the image (built or imported by the operator), trusted.
import { chmodSync, closeSync, constants, copyFileSync, existsSync, lchownSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, type Stats, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GUEST_UID_BASE } from './images.js';

export class UnsafeGuestPathError extends Error {}

export class VolumeFiles {
  constructor(
    readonly lower: string,
    readonly upper: string,
  ) {}

  /**
   * `rel` in the upper directory and what is there (undefined: nothing). Every directory on the way
   * must be a real directory: a symlink among them refuses; a missing one means nothing is there.
   */
  private upperEntry(rel: string): { path: string; st?: Stats } {
    const parts = rel.split('/').filter(Boolean);
    let cur = this.upper;
    for (const [i, part] of parts.entries()) {
      cur = join(cur, part);
      let st: Stats;
      try {
        st = lstatSync(cur);
      } catch {
        return { path: join(this.upper, ...parts) };
      }
      if (i === parts.length - 1) return { path: cur, st };
      if (st.isSymbolicLink()) throw new UnsafeGuestPathError(`/${parts.slice(0, i + 1).join('/')} is a symlink in the instance's volume: /${rel} is not used`);
      if (!st.isDirectory()) return { path: join(this.upper, ...parts) };
    }
    return { path: this.upper, st: lstatSync(this.upper) };
  }

  /** The guest's view of a path (relative to /): the upper copy if any, else the image's. */
  private where(rel: string): string | undefined {
    const u = this.upperEntry(rel);
    if (u.st?.isSymbolicLink()) throw new UnsafeGuestPathError(`/${rel} is a symlink in the instance's volume: not read`);
    if (u.st) return u.path;
    const l = join(this.lower, rel);
    return existsSync(l) ? l : undefined;
  }

  exists(rel: string): boolean {
    try {
      return this.where(rel) !== undefined;
    } catch {
      return true; // (a symlink is there)
    }
  }

  read(rel: string): string | undefined {
    const p = this.where(rel);
    return p === undefined ? undefined : readFileSync(p, 'utf8');
  }

  /** Writes a file as guest uid/gid (0 = root) with `mode`; parents are made as the image has them. */
  write(rel: string, content: string | Buffer, mode = 0o644, uid = 0, gid = 0): void {
    this.mkdirs(dirname(rel));
    const p = this.replaceable(rel);
    const fd = openSync(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    try {
      const data = typeof content === 'string' ? Buffer.from(content) : content;
      for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
    } finally {
      closeSync(fd);
    }
    chmodSync(p, mode);
    lchownSync(p, GUEST_UID_BASE + uid, GUEST_UID_BASE + gid);
  }

  mkdir(rel: string, mode = 0o755, uid = 0, gid = 0): void {
    this.mkdirs(dirname(rel));
    const u = this.upperEntry(rel);
    if (u.st && !u.st.isDirectory()) unlinkSync(u.path);
    if (!u.st?.isDirectory()) mkdirSync(u.path);
    chmodSync(u.path, mode);
    lchownSync(u.path, GUEST_UID_BASE + uid, GUEST_UID_BASE + gid);
  }

  /** Copies a directory's regular files from the guest's view (e.g. /etc/skel) into `to`, owned by uid/gid. */
  copyFiles(from: string, to: string, uid: number, gid: number): void {
    const src = this.where(from);
    if (!src) return;
    for (const name of readdirSync(src)) {
      const s = join(src, name);
      const st = lstatSync(s);
      if (!st.isFile()) continue;
      const d = this.replaceable(`${to}/${name}`);
      copyFileSync(s, d, constants.COPYFILE_EXCL);
      chmodSync(d, st.mode & 0o7777);
      lchownSync(d, GUEST_UID_BASE + uid, GUEST_UID_BASE + gid);
    }
  }

  /** The upper path of a file about to be (re)written, with whatever non-directory was there removed. */
  private replaceable(rel: string): string {
    const u = this.upperEntry(rel);
    if (u.st?.isDirectory()) throw new UnsafeGuestPathError(`/${rel} is a directory in the instance's volume: not written`);
    if (u.st) unlinkSync(u.path);
    return u.path;
  }

  /** Upper-side parents of `rel`, each with its lower twin's owner and mode (so copy-up is invisible). */
  private mkdirs(rel: string): void {
    let cur = '';
    for (const part of rel.split('/').filter(Boolean)) {
      cur = cur ? `${cur}/${part}` : part;
      const u = this.upperEntry(cur);
      if (u.st?.isSymbolicLink()) throw new UnsafeGuestPathError(`/${cur} is a symlink in the instance's volume: nothing is written under it`);
      if (u.st?.isDirectory()) continue;
      if (u.st) throw new UnsafeGuestPathError(`/${cur} is not a directory in the instance's volume`);
      mkdirSync(u.path);
      const l = join(this.lower, cur);
      const st = existsSync(l) ? lstatSync(l) : undefined;
      chmodSync(u.path, st ? st.mode & 0o7777 : 0o755);
      lchownSync(u.path, st?.uid ?? GUEST_UID_BASE, st?.gid ?? GUEST_UID_BASE);
    }
  }
}
