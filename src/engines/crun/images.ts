// Real root filesystems for the crun engine, built once per machine into a cache directory and
// shared read-only by every instance (each gets an overlay on top, docs/real-instances.md).
//
//   <cache>/<key>/rootfs         the tree, owned by the instances' uid range (guest 0 = host GUEST_UID_BASE)
//   <cache>/<key>/manifest.json  what was built, when, from what, how big, how long it took
//
// `build` runs mmdebstrap from Debian's packages; `importTarball` unpacks a tree saved by `exportTarball`
// (or any root filesystem tarball owned by uid 0), so CI and other machines skip the build.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chownSync, symlinkSync, lstatSync, readdirSync, lchownSync, openSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { helperBinary } from './helper.js';
import { archiveKind, archiveLayers, compressionOf, layerWhiteouts } from './image-archive.js';

const run = promisify(execFile);

/** Host uid/gid that guest uid/gid 0 maps to; guests use GUEST_UID_BASE .. +GUEST_UID_COUNT-1. */
export const GUEST_UID_BASE = 100000;
export const GUEST_UID_COUNT = 65536;

export interface RealImageDefinition {
  key: string;
  /** Debian's owner id and naming on AWS (the AMI list Debian publishes). */
  ownerId: string;
  namePrefix: string;
  description: string;
  defaultUser: string;
  suite: string;
  mirrors: string[];
  packages: string[];
}

/** The images `ec2lite images build` knows. */
export const REAL_IMAGES: readonly RealImageDefinition[] = [
  {
    key: 'debian-12',
    ownerId: '136693071363',
    namePrefix: 'debian-12-amd64',
    description: 'Debian 12 (20250115-1997)',
    defaultUser: 'admin',
    suite: 'bookworm',
    mirrors: [
      'deb http://deb.debian.org/debian bookworm main',
      'deb http://deb.debian.org/debian bookworm-updates main',
      'deb http://deb.debian.org/debian-security bookworm-security main',
    ],
    // What Debian's cloud images hold where it matters, plus tini (the reaper run as PID 1).
    packages: [
      'sudo', 'python3', 'python3-apt', 'openssh-sftp-server', 'iproute2', 'procps', 'curl', 'ca-certificates',
      'systemd', 'systemd-sysv', 'dbus', 'iputils-ping', 'less', 'vim-tiny', 'nano', 'tini', 'cloud-init', 'netbase',
    ],
  },
];

export const realImageDefinition = (key: string): RealImageDefinition | undefined => REAL_IMAGES.find((d) => d.key === key);

export interface ImageManifest {
  key: string;
  /** The AMI name, e.g. debian-12-amd64-20261206-2212. */
  name: string;
  builtAt: string;
  /** 'mmdebstrap' or the tarball it was imported from. */
  source: string;
  buildSeconds: number;
  bytes: number;
  packages: string[];
  /** An image registered by `images import`: how its AMI is listed (built-in keys take theirs from REAL_IMAGES). */
  imported?: { ownerId: string; description: string; defaultUser: string; format: string };
}

/** What `images import` is told about the image. */
export interface ImportRequest {
  key: string;
  file: string;
  /** The AMI name. */
  name: string;
  defaultUser: string;
  description?: string;
  /** The AMI's owner (the account that registers it). */
  ownerId: string;
}

/** Where images are cached: EC2LITE_IMAGE_CACHE, else /var/lib/ec2lite/images for root, else ~/.cache/ec2lite/images. */
export function defaultImageCache(): string {
  if (process.env.EC2LITE_IMAGE_CACHE) return process.env.EC2LITE_IMAGE_CACHE;
  return process.getuid?.() === 0 ? '/var/lib/ec2lite/images' : join(homedir(), '.cache', 'ec2lite', 'images');
}

export class ImageCache {
  constructor(readonly dir: string) {}

  rootfs(key: string): string {
    return join(this.dir, key, 'rootfs');
  }

  manifest(key: string): ImageManifest | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, key, 'manifest.json'), 'utf8')) as ImageManifest;
    } catch {
      return undefined;
    }
  }

  list(): ImageManifest[] {
    const keys = new Set([...REAL_IMAGES.map((d) => d.key), ...readdirSafe(this.dir).filter((n) => !n.startsWith('.'))]);
    return [...keys].map((k) => this.manifest(k)).filter((m): m is ImageManifest => !!m);
  }

  /** A built-in image's definition, or an imported one's from its manifest. */
  definition(key: string): RealImageDefinition | undefined {
    const builtIn = realImageDefinition(key);
    if (builtIn) return builtIn;
    const m = this.manifest(key);
    if (!m?.imported) return undefined;
    return { key, ownerId: m.imported.ownerId, namePrefix: m.name, description: m.imported.description, defaultUser: m.imported.defaultUser, suite: '', mirrors: [], packages: [] };
  }

  /**
   * \`images import\`: an AMI from a root filesystem tarball or a \`docker save\` / \`podman save\`
   * archive (Docker's manifest.json or an OCI layout): its layers applied in order, whiteouts
   * included, into the cache shifted to the guest range as a built image is.
   */
  async importImage(req: ImportRequest): Promise<ImageManifest> {
    if (realImageDefinition(req.key)) throw new Error(`'${req.key}' is a built-in image: import under another key`);
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(req.key)) throw new Error(`'${req.key}' is not a valid image key (lowercase letters, digits, '.', '_', '-')`);
    if (!existsSync(req.file)) throw new Error(`${req.file}: no such file`);
    const started = Date.now();
    const kind = await archiveKind(req.file);
    const def: RealImageDefinition = {
      key: req.key, ownerId: req.ownerId, namePrefix: req.name, description: req.description ?? req.name,
      defaultUser: req.defaultUser, suite: '', mirrors: [], packages: [],
    };
    const work = this.workDir(req.key);
    let layers = [req.file];
    if (kind !== 'rootfs') {
      const unpacked = join(work, 'archive');
      mkdirSync(unpacked);
      await run('tar', [...compressionOf(req.file), '-C', unpacked, '--no-same-owner', '-xf', req.file]);
      layers = archiveLayers(unpacked, kind);
    }
    const m = await this.unpack(req.key, layers, req.file, started, def, { ownerId: req.ownerId, description: def.description, defaultUser: req.defaultUser, format: kind }, req.name);
    rmSync(work, { recursive: true, force: true });
    return m;
  }

  private helperDir(): string {
    return join(this.dir, '.bin');
  }

  helper(): Promise<string> {
    return helperBinary(this.helperDir());
  }

  /** mmdebstrap the image from Debian's packages, then unpack it into the cache, shifted to the guest uid range. */
  async build(key: string, log: (line: string) => void): Promise<ImageManifest> {
    const def = realImageDefinition(key);
    if (!def) throw new Error(`unknown image '${key}' (known: ${REAL_IMAGES.map((d) => d.key).join(', ')})`);
    const started = Date.now();
    const work = this.workDir(key);
    const tarball = join(work, 'base.tar');
    log(`building ${key} with mmdebstrap (${def.packages.length} packages and their dependencies)…`);
    // A tarball output needs no root filesystem on the host side: mmdebstrap writes what it built into it.
    await streamed('mmdebstrap', ['--variant=apt', `--include=${def.packages.join(',')}`, def.suite, tarball, ...def.mirrors], log);
    const m = await this.unpack(key, [tarball], 'mmdebstrap', started, def);
    rmSync(work, { recursive: true, force: true });
    return m;
  }

  /** Registers an image from a root filesystem tarball (plain, .gz, .xz or .zst; owned by uid 0 as saved by `export`). */
  async importTarball(key: string, file: string): Promise<ImageManifest> {
    const def = realImageDefinition(key);
    if (!def) throw new Error(`unknown image '${key}' (known: ${REAL_IMAGES.map((d) => d.key).join(', ')})`);
    if (!existsSync(file)) throw new Error(`${file}: no such file`);
    this.workDir(key);
    const m = await this.unpack(key, [file], file, Date.now(), def);
    rmSync(join(this.dir, `.work-${key}`), { recursive: true, force: true });
    return m;
  }

  /** Writes the image as a tarball owned by uid 0 (zstd when the name ends in .zst), for `--from`. */
  async exportTarball(key: string, file: string): Promise<void> {
    if (!this.manifest(key)) throw new Error(`image '${key}' is not built (ec2lite images build ${key})`);
    const helper = await this.helper();
    const args = ['tar', ...compressFlag(file), '--numeric-owner', '--xattrs', '--xattrs-include=*', '-C', '/proc/self/fd/3', '-cpf', '-', '.'];
    await inGuestRange(helper, args, 'ignore', openSync(file, 'w'), openSync(this.rootfs(key), 'r'));
  }

  private workDir(key: string): string {
    const work = join(this.dir, `.work-${key}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    return work;
  }

  /**
   * Layer tarballs (one for a plain root filesystem) → <cache>/<key>/rootfs owned by the guest
   * range, customised; replaces an older build in one rename.
   */
  private async unpack(key: string, tarballs: string[], source: string, started: number, def: RealImageDefinition, imported?: ImageManifest['imported'], name?: string): Promise<ImageManifest> {
    const helper = await this.helper();
    const stage = join(this.dir, `.work-${key}`, 'image');
    const rootfs = join(stage, 'rootfs');
    mkdirSync(rootfs, { recursive: true });
    chownSync(rootfs, GUEST_UID_BASE, GUEST_UID_BASE);
    for (const tarball of tarballs) {
      if (imported) {
        // A layer's whiteouts delete what the layers below hold, done as root of the guest range
        // (a symlink in the tree cannot make it delete a host file: it has no power over them).
        const { remove, opaque } = await layerWhiteouts(tarball);
        if (remove.length || opaque.length) {
          const script = 'cd /proc/self/fd/3 || exit 1; for p in "$@"; do case "$p" in O:*) d=${p#O:}; [ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +;; R:*) rm -rf -- "./${p#R:}";; esac; done; exit 0';
          await inGuestRange(helper, ['/bin/sh', '-c', script, 'sh', ...opaque.map((d) => `O:${d}`), ...remove.map((p) => `R:${p}`)], 'ignore', 'ignore', openSync(rootfs, 'r'));
        }
      }
      // The host opens the tarball and the target (as root): tar, root only inside the guest range,
      // needs no access to their paths (a private temp dir, a 0700 home).
      const tarArgs = ['-C', '/proc/self/fd/3', '--numeric-owner', '--xattrs', '--xattrs-include=*', '--exclude=./dev/*', '--exclude=dev/*', '--exclude=.wh.*', ...compressionOf(tarball), '-xpf', '-'];
      try {
        await inGuestRange(helper, ['tar', ...tarArgs], openSync(tarball, 'r'), 'ignore', openSync(rootfs, 'r'));
      } catch (e) {
        throw new Error(`unpacking ${tarball} failed: ${(e as Error).message}`);
      }
    }
    customise(rootfs, def);
    const bytes = Number((await run('du', ['-sb', rootfs])).stdout.split('\t')[0]);
    const now = new Date();
    const stamp = now.toISOString().slice(0, 10).replace(/-/g, '');
    const manifest: ImageManifest = {
      key,
      name: name ?? `${def.namePrefix}-${stamp}-${now.toISOString().slice(11, 16).replace(':', '')}`,
      builtAt: now.toISOString(),
      source,
      buildSeconds: Math.round((Date.now() - started) / 100) / 10,
      bytes,
      packages: def.packages,
      ...(imported ? { imported } : {}),
    };
    writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const final = join(this.dir, key);
    const old = join(this.dir, `.old-${key}-${Date.now()}`);
    if (existsSync(final)) renameSync(final, old);
    renameSync(stage, final);
    // Running instances keep the old tree open through their overlays' lower dirs only by path:
    // it is removed; a new instance gets the new tree.
    rmSync(old, { recursive: true, force: true });
    return manifest;
  }
}


/** Runs argv as root of the guest uid range (helper userns-exec) with fds 0, 1 and 3 given (closed here after). */
function inGuestRange(helper: string, argv: string[], stdin: number | 'ignore', stdout: number | 'ignore', fd3: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const p = spawn(helper, ['userns-exec', String(GUEST_UID_BASE), String(GUEST_UID_COUNT), '--', ...argv], { stdio: [stdin, stdout, 'pipe', fd3] });
    for (const fd of [stdin, stdout, fd3]) if (typeof fd === 'number') closeSync(fd);
    let err = '';
    p.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${argv[0]} exited with ${code}: ${err.trim()}`))));
  });
}

const compressFlag = (file: string): string[] =>
  file.endsWith('.zst') ? ['--zstd'] : file.endsWith('.gz') || file.endsWith('.tgz') ? ['-z'] : file.endsWith('.xz') ? ['-J'] : [];

async function streamed(cmd: string, args: string[], log: (line: string) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (d: Buffer) => {
      const text = d.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line);
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${tail.trim().split('\n').slice(-5).join('\n')}`))));
  });
}

/** Host-side edits to the unpacked tree, as Debian's cloud images have them, owned by the guest range. */
function customise(rootfs: string, def: RealImageDefinition): void {
  const own = (p: string) => chownSync(p, GUEST_UID_BASE, GUEST_UID_BASE);
  const put = (rel: string, content: string, mode = 0o644) => {
    const p = join(rootfs, rel);
    mkdirsOwned(rootfs, dirname(rel));
    rmSync(p, { force: true });
    writeFileSync(p, content, { mode });
    own(p);
  };
  const link = (rel: string, target: string) => {
    const p = join(rootfs, rel);
    mkdirsOwned(rootfs, dirname(rel));
    rmSync(p, { force: true });
    symlinkSync(target, p);
    lchownSync(p, GUEST_UID_BASE, GUEST_UID_BASE);
  };
  // The default user, as Debian's cloud images configure cloud-init.
  put(
    'etc/cloud/cloud.cfg.d/01_debian_cloud.cfg',
    `apt:\n  generate_mirrorlists: true\nsystem_info:\n  default_user:\n    name: ${def.defaultUser}\n    sudo: ALL=(ALL) NOPASSWD:ALL\n    shell: /bin/bash\n    lock_passwd: True\n    gecos: Debian\n    groups: [adm, dialout, cdrom, floppy, sudo, audio, dip, video, plugdev]\n`,
  );
  // ec2lite hands the instance's metadata over as a NoCloud seed (first-boot.ts); the network is set up by the engine.
  put(
    'etc/cloud/cloud.cfg.d/90_ec2lite.cfg',
    "datasource_list: [ NoCloud, None ]\nlocale: C.UTF-8\nnetwork:\n  config: disabled\noutput: {all: '| tee -a /var/log/cloud-init-output.log'}\n",
  );
  if (def.mirrors.length) put('etc/apt/sources.list', `${def.mirrors.join('\n')}\n`);
  // Units that cannot work in a container (they leave systemd `degraded`).
  for (const unit of ['sys-kernel-debug.mount', 'sys-kernel-tracing.mount', 'sys-kernel-config.mount', 'systemd-remount-fs.service', 'getty@tty1.service']) {
    link(`etc/systemd/system/${unit}`, '/dev/null');
  }
  // Per-instance files are written at first boot; the build host's must not leak into instances.
  put('etc/machine-id', '');
  put('etc/hostname', 'localhost\n');
  rmSync(join(rootfs, 'etc/resolv.conf'), { force: true });
  rmSync(join(rootfs, 'var/lib/dbus/machine-id'), { force: true });
  for (const name of readdirSafe(join(rootfs, 'etc/ssh')).filter((n) => n.startsWith('ssh_host_'))) rmSync(join(rootfs, 'etc/ssh', name), { force: true });
}

function readdirSafe(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}

function mkdirsOwned(rootfs: string, rel: string): void {
  let cur = rootfs;
  for (const part of rel.split('/').filter(Boolean)) {
    cur = join(cur, part);
    if (!existsSync(cur)) {
      mkdirSync(cur, { mode: 0o755 });
      chownSync(cur, GUEST_UID_BASE, GUEST_UID_BASE);
    } else if (!lstatSync(cur).isDirectory()) throw new Error(`${cur} is not a directory`);
  }
}
