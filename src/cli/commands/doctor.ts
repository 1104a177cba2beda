// `ec2lite doctor`: what this host lacks to run real instances (the crun engine), and the
// one-time commands that fix it. Exit 0 when nothing is missing, 1 otherwise.
import { defineCommand } from '../command.js';
import { hostChecks } from '../../app/real-engine-tools.js';
import { ImageCache, REAL_IMAGES, defaultImageCache } from '../../app/real-engine-tools.js';

export const usage = `Usage: ec2lite doctor [--cache DIR]

Checks this host for what real instances ('serve --real-images') need: root, crun, slirp4netns,
util-linux, iproute2, a C compiler (for a small helper), user namespaces, overlayfs, cgroups, and
the built images. Prints each missing piece with the command that fixes it.

Options:
  --cache DIR   the image cache to check (env EC2LITE_IMAGE_CACHE)
  -h, --help    this help
`;

export default defineCommand({
  name: 'doctor',
  usage,
  options: { cache: { type: 'string' } },
  positionals: [],
  async run({ values, io }) {
    const checks = hostChecks();
    const cache = new ImageCache(values.cache ?? defaultImageCache());
    for (const d of REAL_IMAGES) {
      const m = cache.manifest(d.key);
      checks.push({
        name: `image ${d.key} built`,
        ok: !!m,
        detail: `no ${d.key} root filesystem in ${cache.dir}`,
        fix: `sudo ec2lite images build ${d.key}   (or: --from a tarball saved by 'ec2lite images export')`,
      });
    }
    let missing = 0;
    for (const c of checks) {
      if (c.ok) io.stdout(`ok       ${c.name}\n`);
      else {
        missing++;
        io.stdout(`MISSING  ${c.name}${c.buildOnly ? ' (to build images)' : ''}: ${c.detail}\n         fix: ${c.fix}\n`);
      }
    }
    io.stdout(missing ? `\n${missing} missing: real instances are refused until fixed (the simulated engine works regardless).\n` : '\nThis host can run real instances.\n');
    return missing ? 1 : 0;
  },
});
