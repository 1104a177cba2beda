// crun (issue 24): `ec2lite images export` / `images build --from` (the cache tarball CI and other
// machines use instead of a build) and `ec2lite doctor`, through the real CLI.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { realImageCache } from '../helpers/real-images.js';
import { runAsync, tempDir } from '../helpers/tools.js';

const cache = realImageCache();
const dir = tempDir('ec2lite-images-cli-');
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) => runAsync(process.execPath, ['dist/src/cli/main.js', ...args], { cwd: root, env: { ...process.env, EC2LITE_IMAGE_CACHE: '' } });

after(() => dir.cleanup());

describe('ec2lite images', () => {
  it('export writes a uid-0 tarball; build --from unpacks it into another cache, shifted to the guest range', async () => {
    const tarball = dir.file('debian-12.tar.zst');
    const exported = await cli('images', 'export', 'debian-12', tarball, '--cache', cache);
    assert.equal(exported.code, 0, exported.stderr);
    const listing = await runAsync('tar', ['--zstd', '-tvf', tarball, './usr/bin/sudo']);
    assert.match(listing.stdout, /^-rwsr-xr-x 0\/0 /, 'owned by uid 0 in the tarball (numeric owners), setuid kept');
    const other = dir.file('cache2');
    const built = await cli('images', 'build', 'debian-12', '--from', tarball, '--cache', other);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, /^debian-12\tdebian-12-amd64-\d{8}-\d{4}\t\d+ MB\t/);
    const sudo = statSync(`${other}/debian-12/rootfs/usr/bin/sudo`);
    assert.equal(sudo.uid, 100000);
    assert.equal(sudo.mode & 0o4000, 0o4000, 'setuid survives the shift');
    const manifest = JSON.parse(readFileSync(`${other}/debian-12/manifest.json`, 'utf8')) as { source: string; packages: string[] };
    assert.equal(manifest.source, tarball);
    assert.ok(manifest.packages.includes('openssh-sftp-server'));
    assert.ok(existsSync(`${other}/debian-12/rootfs/etc/cloud/cloud.cfg.d/01_debian_cloud.cfg`));
    const list = await cli('images', 'list', '--cache', other);
    assert.match(list.stdout, /^debian-12\t/);
  });

  it('doctor: exit 0 with everything present; exit 1 naming the missing image and the command that builds it', async () => {
    const ok = await cli('doctor', '--cache', cache);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /^ok {7}crun installed$/m);
    assert.match(ok.stdout, /This host can run real instances\./);
    const missing = await cli('doctor', '--cache', dir.file('empty'));
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /^MISSING  image debian-12 built: .*\n {9}fix: sudo ec2lite images build debian-12/m);
  });

  it('an unknown image is a clear error', async () => {
    const r = await cli('images', 'build', 'windows-2022', '--cache', dir.file('x'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown image 'windows-2022' \(known: debian-12\)/);
  });
});
