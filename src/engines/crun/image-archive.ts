// What `ec2lite images import` reads: a root filesystem tarball, or an image archive as `docker
// save` / `podman save` write them — Docker's format (manifest.json naming each layer tar) or an
// OCI image layout (oci-layout, index.json → manifest → layer blobs). This module only finds the
// layers, in order, in an unpacked archive; images.ts applies them (whiteouts included).
import { execFile } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ArchiveKind = 'rootfs' | 'docker' | 'oci';

/** The tar flag for a file's compression, by its first bytes (layers have no telling names). */
export function compressionOf(file: string): string[] {
  const b = Buffer.alloc(6);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, b, 0, 6, 0);
  } finally {
    closeSync(fd);
  }
  if (b[0] === 0x1f && b[1] === 0x8b) return ['-z'];
  if (b.readUInt32LE(0) === 0xfd2fb528) return ['--zstd'];
  if (b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return ['-J'];
  if (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return ['-j'];
  return [];
}

/** Whether a tarball is an image archive (its top level has manifest.json or oci-layout) or a root filesystem. */
export async function archiveKind(file: string): Promise<ArchiveKind> {
  // Only the first entries are needed; an image archive's metadata files sit at its top level.
  const { stdout } = await run('tar', [...compressionOf(file), '-tf', file], { maxBuffer: 256 * 1024 * 1024 });
  const names = new Set(stdout.split('\n').map((n) => n.replace(/^\.\//, '')));
  if (names.has('oci-layout') && names.has('index.json')) return 'oci';
  if (names.has('manifest.json')) return 'docker';
  return 'rootfs';
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { architecture?: string; os?: string };
}

/** Inside an unpacked archive, a path it names (never outside it). */
function inside(dir: string, rel: string): string {
  const n = normalize(rel).replace(/^\/+/, '');
  if (n.startsWith('..')) throw new Error(`the archive names a path outside itself: ${rel}`);
  return join(dir, n);
}

const blob = (dir: string, digest: string): string => {
  const m = /^(sha256|sha512):([0-9a-f]+)$/.exec(digest);
  if (!m) throw new Error(`unsupported digest ${digest}`);
  return inside(dir, `blobs/${m[1]}/${m[2]}`);
};

/** The layer files of an unpacked archive, lowest first. */
export function archiveLayers(dir: string, kind: 'docker' | 'oci'): string[] {
  if (kind === 'docker') {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers?: string[] }[];
    const layers = manifest[0]?.Layers;
    if (!layers?.length) throw new Error('manifest.json names no layers');
    return layers.map((l) => inside(dir, l));
  }
  let desc: Descriptor | undefined = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests?: Descriptor[] }).manifests?.[0];
  // An index of indexes (multi-platform): the linux/amd64 entry, else the first.
  for (let depth = 0; desc && depth < 4; depth++) {
    const doc = JSON.parse(readFileSync(blob(dir, desc.digest), 'utf8')) as { manifests?: Descriptor[]; layers?: Descriptor[] };
    if (doc.layers) {
      if (!doc.layers.length) throw new Error('the image manifest names no layers');
      return doc.layers.map((l) => blob(dir, l.digest));
    }
    const list: Descriptor[] = doc.manifests ?? [];
    desc = list.find((m) => m.platform?.architecture === 'amd64' && m.platform?.os === 'linux') ?? list[0];
  }
  throw new Error('index.json leads to no image manifest');
}

/**
 * A layer's whiteouts (OCI image spec, "Whiteouts"): `dir/.wh.name` deletes `dir/name` of the
 * layers below; `dir/.wh..wh..opq` empties `dir` of them. Paths relative to the root, no leading `./`.
 */
export async function layerWhiteouts(layer: string): Promise<{ remove: string[]; opaque: string[] }> {
  const { stdout } = await run('tar', [...compressionOf(layer), '-tf', layer], { maxBuffer: 256 * 1024 * 1024 });
  const remove: string[] = [];
  const opaque: string[] = [];
  for (const raw of stdout.split('\n')) {
    const name = raw.replace(/^\.?\/+/, '');
    const slash = name.lastIndexOf('/');
    const dir = slash < 0 ? '' : name.slice(0, slash);
    const base = name.slice(slash + 1);
    if (!base.startsWith('.wh.')) continue;
    if (normalize(name).startsWith('..')) continue;
    if (base === '.wh..wh..opq') opaque.push(dir || '.');
    else remove.push(dir ? `${dir}/${base.slice(4)}` : base.slice(4));
  }
  return { remove, opaque };
}
