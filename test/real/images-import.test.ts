// crun (issue 24): `ec2lite images import` registers AMIs from what users have: a root filesystem
// tarball, a `docker save` archive (manifest.json + layer tars) and an OCI image layout
// (`podman save --format oci-archive`: oci-layout, index.json, blobs), all made here by hand from a
// slimmed copy of the debian-12 image, with whiteouts in the upper layers. Each is served, listed
// by DescribeImages with its name, owner and default user, launched, and logged into with OpenSSH.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeImagesCommand, ImportKeyPairCommand, RunInstancesCommand, TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { helperBinary } from '../../src/engines/crun/helper.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/crun', '/usr/bin/slirp4netns', '/usr/bin/tar', '/usr/bin/gzip'], 'the image import tests');

const debianCache = realImageCache();
const dir = tempDir('ec2lite-import-');
const cache = dir.file('cache');
const key = dir.file('id');
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) => runAsync(process.execPath, ['dist/src/cli/main.js', ...args], { cwd: root, env: { ...process.env, EC2LITE_IMAGE_CACHE: cache } });
let server: TestServer | undefined;

async function ok(cmd: string, args: string[]): Promise<string> {
  const r = await runAsync(cmd, args);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A small layer (uid 0) of the files in `files` (paths relative to /: contents), plus empty whiteout markers. */
async function layer(name: string, files: Record<string, string>): Promise<string> {
  const top = dir.file(`${name}-tree`);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(top, rel, '..'), { recursive: true });
    writeFileSync(join(top, rel), content);
  }
  const out = dir.file(`${name}.tar`);
  await ok('tar', ['-C', top, '--numeric-owner', '--owner=0', '--group=0', '-cf', out, '.']);
  return out;
}

let base: string;

before(async () => {
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'imp', '-f', key])).code, 0);
  // The base layer: the debian-12 tree read back as uid 0 (tar run by the engine's helper in a user
  // namespace mapping the guest range to 0), without docs, locales, Python and cloud-init — a small
  // rootfs as a user would save one.
  base = dir.file('base.tar');
  const helper = await helperBinary(join(debianCache, '.bin'));
  const excludes = ['usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/i18n', 'usr/share/info', 'usr/lib/python3*', 'usr/bin/python3*', 'usr/bin/cloud-*', 'usr/share/perl*', 'usr/lib/x86_64-linux-gnu/perl*', 'var/lib/apt/lists', 'var/cache/*', 'etc/cloud'];
  const out = openSync(base, 'w');
  const tree = openSync(join(debianCache, 'debian-12', 'rootfs'), 'r');
  const tar = spawn(helper, ['userns-exec', '100000', '65536', '--', 'tar', '-C', '/proc/self/fd/3', '--numeric-owner', '--xattrs', '--xattrs-include=*', ...excludes.map((p) => `--exclude=./${p}`), '-cpf', '-', '.'], { stdio: ['ignore', out, 'pipe', tree] });
  closeSync(out);
  closeSync(tree);
  let err = '';
  tar.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => tar.on('close', resolve));
  assert.equal(code, 0, err);
});
after(async () => {
  await server?.close();
  dir.cleanup();
});

describe('ec2lite images import', () => {
  it('imports a rootfs tarball, a docker save archive and an OCI layout (whiteouts applied), refusing what it cannot', async () => {
    // 1. The rootfs tarball as it is.
    const r1 = await cli('images', 'import', 'small-rootfs', base, '--name', 'my-rootfs-image', '--default-user', 'ec2-user', '--description', 'from a tarball');
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /^small-rootfs\tmy-rootfs-image\t\d+ MB\trootfs\t/);
    assert.equal(statSync(join(cache, 'small-rootfs', 'rootfs', 'usr', 'bin', 'sudo')).uid, 100000);

    // 2. docker save: manifest.json naming layer tars; the upper layer deletes /etc/motd (whiteout).
    const docker = dir.file('docker');
    mkdirSync(join(docker, 'b'), { recursive: true });
    mkdirSync(join(docker, 't'), { recursive: true });
    await ok('cp', [base, join(docker, 'b', 'layer.tar')]);
    await ok('cp', [await layer('docker-top', { 'etc/imported-by': 'docker\n', 'etc/.wh.motd': '' }), join(docker, 't', 'layer.tar')]);
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } }));
    writeFileSync(join(docker, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['small:latest'], Layers: ['b/layer.tar', 't/layer.tar'] }]));
    const dockerTar = dir.file('docker-save.tar');
    await ok('tar', ['-C', docker, '-cf', dockerTar, '.']);
    const r2 = await cli('images', 'import', 'small-docker', dockerTar, '--name', 'my-docker-image', '--default-user', 'ec2-user');
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stdout, /\tdocker\t/);

    // 3. OCI layout: index.json → manifest → blobs; the upper layer is gzipped and makes /etc/skel opaque.
    const oci = dir.file('oci');
    mkdirSync(join(oci, 'blobs', 'sha256'), { recursive: true });
    const blob = (file: string) => {
      const digest = sha256(file);
      writeFileSync(join(oci, 'blobs', 'sha256', digest), readFileSync(file));
      return { digest: `sha256:${digest}`, size: statSync(file).size };
    };
    const top = await layer('oci-top', { 'etc/imported-by': 'oci\n', 'etc/skel/.wh..wh..opq': '', 'etc/skel/only-this': 'skel\n' });
    await ok('gzip', ['-k', top]);
    const config = dir.file('oci-config.json');
    writeFileSync(config, JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const manifest = dir.file('oci-manifest.json');
    writeFileSync(manifest, JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...blob(config) },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', ...blob(base) },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...blob(`${top}.gz`) },
      ],
    }));
    writeFileSync(join(oci, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...blob(manifest), platform: { architecture: 'amd64', os: 'linux' } }] }));
    writeFileSync(join(oci, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    const ociTar = dir.file('oci-archive.tar');
    await ok('tar', ['-C', oci, '-cf', ociTar, '.']);
    const r3 = await cli('images', 'import', 'small-oci', ociTar, '--name', 'my-oci-image', '--default-user', 'alice');
    assert.equal(r3.code, 0, r3.stderr);
    assert.match(r3.stdout, /\toci\t/);

    // Refusals: a built-in key, no default user, a missing file.
    const builtIn = await cli('images', 'import', 'debian-12', base, '--name', 'x', '--default-user', 'admin');
    assert.equal(builtIn.code, 1);
    assert.match(builtIn.stderr, /'debian-12' is a built-in image/);
    const noUser = await cli('images', 'import', 'x', base, '--name', 'x');
    assert.notEqual(noUser.code, 0);
    assert.match(noUser.stderr, /--default-user/);
    const list = await cli('images', 'list');
    assert.match(list.stdout, /^small-oci\tmy-oci-image\t/m);
    // serve knows the imported keys (the cache's) besides the built-in ones.
    const unknown = await cli('serve', '--real-images', 'nope', '--ephemeral');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown real image 'nope' \(known: debian-12, (small-[a-z]+(, )?){3}\)/);
  });

  it('serves the imported images as AMIs; instances of each log in as its default user and see its layers', async () => {
    server = await startTestServer({ dataDir: dir.file('data'), realImages: ['small-rootfs', 'small-docker', 'small-oci'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 } });
    const client: EC2Client = server.client();
    await client.send(new ImportKeyPairCommand({ KeyName: 'imp', PublicKeyMaterial: await readFile(`${key}.pub`) }));
    const images = (await client.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images!;
    const byName = new Map(images.map((i) => [i.Name, i]));
    for (const n of ['my-rootfs-image', 'my-docker-image', 'my-oci-image']) {
      assert.equal(byName.get(n)?.OwnerId, '000000000000', n);
      assert.equal(byName.get(n)?.RootDeviceName, '/dev/xvda');
    }
    assert.equal(byName.get('my-rootfs-image')!.Description, 'from a tarball');

    const login = async (name: string, expectUser: string, command: string): Promise<string> => {
      const r = await client.send(new RunInstancesCommand({ ImageId: byName.get(name)!.ImageId!, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'imp' }));
      const id = r.Instances![0]!.InstanceId!;
      await allowSsh(client, id);
      await waitForState(client, id, 'running');
      const s = await sshInstance(server!.url, id, `whoami; ${command}`, { key, knownHosts: dir.file('known_hosts') });
      assert.equal(s.code, 0, s.stderr);
      await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      const [who, ...rest] = s.stdout.split('\n');
      assert.equal(who, expectUser);
      return rest.join('\n');
    };
    assert.equal(await login('my-rootfs-image', 'ec2-user', 'sudo -n true && echo sudo-ok; test -e /etc/imported-by || echo plain'), 'sudo-ok\nplain\n');
    assert.equal(await login('my-docker-image', 'ec2-user', 'cat /etc/imported-by; test -e /etc/motd && echo motd || echo no-motd'), 'docker\nno-motd\n');
    assert.equal(await login('my-oci-image', 'alice', 'cat /etc/imported-by; ls -A ~ | sort | tr "\\n" " "'), 'oci\n.ssh only-this ');
  });
});
