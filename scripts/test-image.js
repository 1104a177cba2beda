#!/usr/bin/env node
// Before `npm test`: make sure the Debian image the real-instance tests (test/real) run on exists,
// so `npm ci && npm test` works on a fresh machine. Built once per machine (or per CI run, with
// EC2LITE_IMAGE_CACHE) by `ec2lite images build debian-12`; where it cannot be built (no root, no
// mmdebstrap) this says so and the real-instance tests then fail with the command to run — never a
// silent skip.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { defaultImageCache } from '../dist/src/engines/crun/images.js';

const cache = defaultImageCache();
if (existsSync(join(cache, 'debian-12', 'manifest.json'))) process.exit(0);
const mmdebstrap = spawnSync('sh', ['-c', 'command -v mmdebstrap'], { stdio: 'ignore' }).status === 0;
if (process.getuid?.() !== 0 || !mmdebstrap) {
  console.error(`test-image: no debian-12 image in ${cache} and it cannot be built here (needs root and mmdebstrap); test/real will fail`);
  process.exit(0);
}
console.error(`test-image: building the debian-12 image into ${cache} (once per machine, 1-4 minutes)`);
const built = spawnSync(process.execPath, ['dist/src/cli/main.js', 'images', 'build', 'debian-12'], {
  stdio: 'inherit',
  env: { ...process.env, EC2LITE_IMAGE_CACHE: cache },
});
process.exit(built.status ?? 1);
