// The package as users get it: `npm pack` on a copy of the sources (so the prepack build from
// scratch cannot disturb the dist/ this suite runs from), the tarball's file list, then
// `npm i ./ec2lite-*.tgz` into an empty project and `npx ec2lite serve`, asked DescribeKeyPairs
// with the AWS SDK.
//
// One shortcut, for time: the install runs with --ignore-scripts, and better-sqlite3's native
// addon is copied from this checkout's node_modules (built by `npm ci`) after checking it is the
// same version. Compiling it again costs minutes and tests better-sqlite3, not ec2lite.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { runAsync, tempDir } from '../helpers/tools.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const root = repoRoot();
const work = tempDir('ec2lite-pack-');
const checkout = join(work.path, 'checkout');
const project = join(work.path, 'project');
const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

async function npm(args: string[], cwd: string): Promise<string> {
  const r = await runAsync('npm', [...args, ...NPM_QUIET], { cwd, env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.code, 0, `npm ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

describe('npm pack, npm i ./ec2lite-*.tgz, npx ec2lite serve', { timeout: 600_000 }, () => {
  let tarball = '';
  let files: string[] = [];
  let server: ChildProcess | undefined;

  before(async () => {
    // What a fresh clone has (no dist/), with this checkout's node_modules for the build tools.
    mkdirSync(checkout);
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'scripts', 'src']) {
      cpSync(join(root, entry), join(checkout, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'));
    const [packed] = JSON.parse(await npm(['pack', '--json', '--pack-destination', work.path], checkout)) as { filename: string; files: { path: string }[] }[];
    tarball = join(work.path, packed!.filename);
    files = packed!.files.map((f) => f.path);
  });

  after(async () => {
    if (server) await stopGroup(server);
    work.cleanup();
  });

  it('ships the built server and nothing of the tests, fixtures or TypeScript sources', () => {
    assert.ok(files.includes('dist/src/cli/main.js'), files.join('\n'));
    assert.ok(files.includes('dist/src/app/app.js'));
    assert.ok(files.includes('package.json') && files.includes('README.md'));
    const consoleFiles = ['dist/console/index.html', 'dist/console/app.js', 'dist/console/app.css', 'dist/console/terminal.html', 'dist/console/terminal.js', 'dist/console/terminal.css'];
    for (const f of consoleFiles) assert.ok(files.includes(f), `${f} is not in the tarball`);
    const unexpected = files.filter((f) => !/^dist\/src\/.+\.js$/.test(f) && !['package.json', 'README.md', 'LICENSE', ...consoleFiles].includes(f));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(files.filter((f) => /\.test\.js$|\/test\/|fixtures|testing|\.ts$/.test(f)), []);
  });

  it('installs into an empty project and answers DescribeKeyPairs from `npx ec2lite serve`', async () => {
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-ec2lite', private: true }));
    await npm(['install', tarball, '--ignore-scripts', '--prefer-offline'], project);

    const addon = (dir: string) => join(dir, 'node_modules', 'better-sqlite3');
    const version = (dir: string) => (JSON.parse(readFileSync(join(addon(dir), 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(version(project), version(root), 'the tarball resolved another better-sqlite3 than this checkout: the addon copy below would not fit');
    cpSync(join(addon(root), 'build', 'Release', 'better_sqlite3.node'), join(addon(project), 'build', 'Release', 'better_sqlite3.node'));

    // Its own process group: npx does not pass SIGTERM on to the server, so the test signals both.
    server = spawn('npx', ['--no-install', 'ec2lite', 'serve', '--port', '0', '--quiet', '--data-dir', join(project, 'state')], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ec2lite listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server!.once('exit', (code) => reject(new Error(`ec2lite serve exited with ${code}:\n${stderr}`)));
    });

    // The web console from the installed package: its page and bundle.
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="\/console\/app.js">/);
    assert.equal((await fetch(`${url}/console/app.js`)).status, 200);

    const ec2 = new EC2Client({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      assert.deepEqual((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs, []);
      const created = await ec2.send(new CreateKeyPairCommand({ KeyName: 'from-the-tarball', KeyType: 'ed25519' }));
      assert.match(created.KeyMaterial ?? '', /^-----BEGIN OPENSSH PRIVATE KEY-----/);
      const listed = await ec2.send(new DescribeKeyPairsCommand({}));
      assert.deepEqual(listed.KeyPairs?.map((k) => k.KeyName), ['from-the-tarball']);
    } finally {
      ec2.destroy();
    }
    assert.equal(await stopGroup(server), 0, 'processes of `npx ec2lite serve` still running after SIGTERM');
  });
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to the child's process group; resolves with how many of its processes are left after waiting for them. */
async function stopGroup(child: ChildProcess): Promise<number> {
  const group = child.pid!;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-group, 'SIGTERM');
  } catch {
    // the group is already gone
  }
  await exited;
  // The server closes its listeners and the store before exiting: wait for it, a bounded while.
  for (let i = 0; i < 100 && alive(-group); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!alive(-group)) return 0;
  process.kill(-group, 'SIGKILL');
  return 1;
}
