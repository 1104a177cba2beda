// The files of an instance's root volume while its overlay is NOT mounted: reads see what the
// guest would (upper over the image's lower), writes go into the upper directory with the owner
// and mode the guest expects. First boot writes this way before the overlay is mounted, because
// writing into an upper directory under a mounted overlay is undefined behaviour.
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync, chmodSync, copyFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GUEST_UID_BASE } from './images.js';

export class VolumeFiles {
  constructor(
    readonly lower: string,
    readonly upper: string,
  ) {}

  /** The guest's view of a path (relative to /): the upper copy if any, else the image's. */
  private where(rel: string): string | undefined {
    const u = join(this.upper, rel);
    if (existsSync(u)) return u;
    const l = join(this.lower, rel);
    return existsSync(l) ? l : undefined;
  }

  exists(rel: string): boolean {
    return this.where(rel) !== undefined;
  }

  read(rel: string): string | undefined {
    const p = this.where(rel);
    return p === undefined ? undefined : readFileSync(p, 'utf8');
  }

  /** Writes a file as guest uid/gid (0 = root) with `mode`; parents are made as the image has them. */
  write(rel: string, content: string | Buffer, mode = 0o644, uid = 0, gid = 0): void {
    this.mkdirs(dirname(rel));
    const p = join(this.upper, rel);
    writeFileSync(p, content, { mode });
    chmodSync(p, mode);
    chownSync(p, GUEST_UID_BASE + uid, GUEST_UID_BASE + gid);
  }

  mkdir(rel: string, mode = 0o755, uid = 0, gid = 0): void {
    this.mkdirs(dirname(rel));
    const p = join(this.upper, rel);
    if (!existsSync(p)) mkdirSync(p);
    chmodSync(p, mode);
    chownSync(p, GUEST_UID_BASE + uid, GUEST_UID_BASE + gid);
  }

  /** Copies a directory's regular files from the guest's view (e.g. /etc/skel) into `to`, owned by uid/gid. */
  copyFiles(from: string, to: string, uid: number, gid: number): void {
    const src = this.where(from);
    if (!src) return;
    for (const name of readdirSync(src)) {
      const s = join(src, name);
      const st = lstatSync(s);
      if (!st.isFile()) continue;
      const d = join(this.upper, to, name);
      copyFileSync(s, d);
      chmodSync(d, st.mode & 0o7777);
      chownSync(d, GUEST_UID_BASE + uid, GUEST_UID_BASE + gid);
    }
  }

  /** Upper-side parents of `rel`, each with its lower twin's owner and mode (so copy-up is invisible). */
  private mkdirs(rel: string): void {
    let cur = '';
    for (const part of rel.split('/').filter(Boolean)) {
      cur = cur ? `${cur}/${part}` : part;
      const u = join(this.upper, cur);
      if (existsSync(u)) continue;
      mkdirSync(u);
      const l = join(this.lower, cur);
      const st = existsSync(l) ? lstatSync(l) : undefined;
      chmodSync(u, st ? st.mode & 0o7777 : 0o755);
      chownSync(u, st?.uid ?? GUEST_UID_BASE, st?.gid ?? GUEST_UID_BASE);
    }
  }
}
