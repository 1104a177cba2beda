// crun (issue 24): the real-image cache the real-instance tests run on. CI builds it once per run
// (.ci/run: ec2lite images build debian-12) into EC2LITE_IMAGE_CACHE; a test run without it fails
// with the command that makes it, never a silent skip.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultImageCache } from '../../src/engines/crun/images.js';

export function realImageCache(): string {
  const cache = process.env.EC2LITE_IMAGE_CACHE || defaultImageCache();
  assert.ok(process.getuid?.() === 0, 'the real-instance tests need root (user namespaces, overlay mounts, cgroups)');
  assert.ok(
    existsSync(join(cache, 'debian-12', 'manifest.json')),
    `no debian-12 image in ${cache}: run 'node dist/src/cli/main.js images build debian-12' (EC2LITE_IMAGE_CACHE=${cache})`,
  );
  return cache;
}

/**
 * Where the real engine keeps host state for the one server on `dataDir` (src/engines/crun/state-dir.ts):
 * an --ephemeral server (startTestServer's default) works in a run directory of its own under it.
 */
export function engineStateDir(dataDir: string): string {
  const runs = join(dataDir, 'crun', 'runs');
  const ephemeral = existsSync(runs) ? readdirSync(runs).filter((n) => n.startsWith('ephemeral-')) : [];
  assert.ok(ephemeral.length <= 1, `one server on ${dataDir}: ${ephemeral.join(' ')}`);
  return ephemeral[0] ? join(runs, ephemeral[0]) : join(dataDir, 'crun');
}
