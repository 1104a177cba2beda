// `ec2lite images …`: the real root filesystems the crun engine runs (docs/real-instances.md).
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { ImageCache, REAL_IMAGES, defaultImageCache } from '../../app/real-engine-tools.js';

/** The default account's id (what an unsigned or default-credential client is). */
const DEFAULT_OWNER = '000000000000';

export const usage = `Usage: ec2lite images <command> [options]

Real root filesystems for instances run by the crun engine ('serve --real-images'), built once
per machine and shared read-only by every instance.

Commands:
  build KEY [--from FILE]   build KEY (${REAL_IMAGES.map((d) => d.key).join(', ')}) with mmdebstrap from Debian's
                            packages, or unpack it from a tarball FILE (.tar, .tar.gz, .tar.xz,
                            .tar.zst) saved by 'images export' on another machine
  export KEY FILE           save a built image as a tarball (zstd when FILE ends in .zst)
  import KEY FILE --name NAME --default-user USER [--description TEXT] [--owner-id ID]
                            register an image from a root filesystem tarball or an image
                            archive as 'docker save' / 'podman save' write it (Docker's
                            manifest.json or an OCI layout); serve it with
                            'serve --real-images KEY' (its AMI: NAME, owned by ID, default
                            000000000000, the default account; USER gets the launch key)
  list                      the images built or imported here

Options:
  --cache DIR   where images live (env EC2LITE_IMAGE_CACHE; default /var/lib/ec2lite/images
                as root, else ~/.cache/ec2lite/images)
  -h, --help    this help

Building needs root, mmdebstrap and cc; 'ec2lite doctor' lists what this host lacks.
`;

export default defineCommand({
  name: 'images',
  usage,
  options: {
    cache: { type: 'string' },
    from: { type: 'string' },
    name: { type: 'string' },
    'default-user': { type: 'string' },
    description: { type: 'string' },
    'owner-id': { type: 'string' },
  },
  positionals: 'any',
  async run({ values, positionals, io }) {
    const cache = new ImageCache(values.cache ?? defaultImageCache());
    const [verb, ...args] = positionals;
    switch (verb) {
      case 'build': {
        if (args.length !== 1) throw new UsageError('images build takes one image key', 'images build');
        const log = (line: string) => io.stderr(`${line}\n`);
        const m = values.from ? await cache.importTarball(args[0]!, values.from) : await cache.build(args[0]!, log);
        io.stdout(`${m.key}\t${m.name}\t${(m.bytes / 1e6).toFixed(0)} MB\t${m.buildSeconds} s\t${cache.rootfs(m.key)}\n`);
        return 0;
      }
      case 'export': {
        if (args.length !== 2) throw new UsageError('images export takes an image key and a file', 'images export');
        await cache.exportTarball(args[0]!, args[1]!);
        io.stdout(`${args[1]}\n`);
        return 0;
      }
      case 'import': {
        if (args.length !== 2) throw new UsageError('images import takes an image key and a file', 'images import');
        if (!values.name) throw new UsageError('images import needs --name (the AMI name)', 'images import');
        const user = values['default-user'];
        if (!user || !/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) throw new UsageError('images import needs --default-user (a user name such as ec2-user)', 'images import');
        const owner = values['owner-id'] ?? DEFAULT_OWNER;
        if (!/^\d{12}$/.test(owner)) throw new UsageError('--owner-id is a 12-digit account id', 'images import');
        const m = await cache.importImage({ key: args[0]!, file: args[1]!, name: values.name, defaultUser: user, description: values.description, ownerId: owner });
        io.stdout(`${m.key}\t${m.name}\t${(m.bytes / 1e6).toFixed(0)} MB\t${m.imported?.format}\t${cache.rootfs(m.key)}\n`);
        return 0;
      }
      case 'list': {
        for (const m of cache.list()) io.stdout(`${m.key}\t${m.name}\t${(m.bytes / 1e6).toFixed(0)} MB\t${m.builtAt}\t${m.source}\n`);
        return 0;
      }
      default:
        throw new UsageError(verb ? `unknown images command '${verb}'` : 'missing images command', 'images');
    }
  },
});
