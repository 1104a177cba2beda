// End-to-end through the API: CreateKeyPair → RunInstances → the real OpenSSH client (ssh, scp)
// into the instance's endpoint; metadata, key management, StrictModes, stop/start, terminate and
// a server restart. A missing OpenSSH binary is a failure, not a skip. Every step runs on both guest
// engines (test/helpers/engine-variants.ts): a simulated Amazon Linux instance and a real Debian one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import {
  CreateKeyPairCommand,
  DeleteKeyPairCommand,
  ModifyInstanceMetadataOptionsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { requireTools, runAsync, tempDir, type ProcessResult } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';
import { bothEnginesServer, forEachEngine, type EngineVariant } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/ssh', '/usr/bin/scp', '/usr/bin/ssh-keygen'], 'the end-to-end tests');

type Result = ProcessResult;
const exec = (cmd: string, args: string[], input?: string): Promise<Result> => runAsync(cmd, args, { input });

const dir = tempDir('ec2lite-e2e-');
let server: TestServer;

/** SSH options shared by every call: its own known_hosts, key auth only, no prompts. */
const common = (knownHosts: string) => ['-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10'];

interface Target { host: string; port: number; user: string; knownHosts: string }

/** Each engine's suite works in an account of its own: the same key names, apart. */
const ACCOUNT: Record<EngineVariant['name'], string> = { simulated: '111100000001', real: '111100000002' };

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 50, stop: 50, terminate: 50 }, ...bothEnginesServer() });
});

after(async () => {
  await server.close();
  dir.cleanup();
});

/** The shell prompt of either image (`[ec2-user@ip-… ~]$ ` on Amazon Linux, `admin@ip-…:~$ ` on Debian). */
const PROMPT = /\$ $/;

forEachEngine('ssh into an instance launched through the API', (engine) => {
  const keys: Record<string, { path: string; pub: string }> = {};
  const file = (name: string) => dir.file(`${engine.name}-${name}`);
  let client: EC2Client;
  let imageId = '';

  async function target(s: TestServer, id: string, knownHosts = file(`known_hosts_${id}`)): Promise<Target> {
    const res = await fetch(`${s.url}/_ec2lite/instances/${id}/ssh`);
    assert.equal(res.status, 200, `no SSH endpoint for ${id}`);
    const info = (await res.json()) as { host: string; port: number; user: string };
    return { ...info, knownHosts };
  }

  function ssh(t: Target, key: string, command: string, opts: { user?: string; extra?: string[]; input?: string } = {}): Promise<Result> {
    return exec(
      '/usr/bin/ssh',
      [...(opts.extra ?? []), ...common(t.knownHosts), '-o', 'StrictHostKeyChecking=accept-new', '-i', keys[key]!.path, '-p', String(t.port), `${opts.user ?? t.user}@${t.host}`, command],
      opts.input,
    );
  }

  async function keygen(name: string, type: 'rsa' | 'ed25519'): Promise<void> {
    const path = file(name);
    const r = await exec('/usr/bin/ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', path]);
    assert.equal(r.code, 0, r.stderr);
    keys[name] = { path, pub: (await readFile(`${path}.pub`, 'utf8')).trim() };
  }

  /** CreateKeyPair through the API; the PEM is written 0600 as users must. */
  async function createKey(c: EC2Client, name: string): Promise<void> {
    const k = await c.send(new CreateKeyPairCommand({ KeyName: name }));
    const path = file(`${name}.pem`);
    await writeFile(path, k.KeyMaterial!, { mode: 0o600 });
    await chmod(path, 0o600);
    keys[name] = { path, pub: '' };
  }

  /** The ec2lite CLI with the suite's account in the environment (the AWS credential chain). */
  const cli = (args: string[]): Promise<Result> =>
    runAsync(process.execPath, ['dist/src/cli/main.js', ...args], { env: { ...process.env, AWS_ACCESS_KEY_ID: ACCOUNT[engine.name], AWS_SECRET_ACCESS_KEY: 'secret' } });

  async function launch(c: EC2Client, keyName: string, image = imageId): Promise<string> {
    // IMDSv1 left on (AL2023 defaults to IMDSv2 only) so the tests can show both, then switch it off.
    const r = await c.send(
      new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, KeyName: keyName, MetadataOptions: { HttpTokens: 'optional' } }),
    );
    const id = r.Instances![0]!.InstanceId!;
    await waitForState(c, id, 'running');
    await allowSsh(c, id);
    return id;
  }

  /** An interactive login (ssh -tt) driven through stdin: "another session" kept open. */
  class Interactive {
    private out = '';
    private readonly p: ChildProcess;
    readonly closed: Promise<number | null>;
    constructor(t: Target, key: string) {
      this.p = spawn('/usr/bin/ssh', [...common(t.knownHosts), '-o', 'StrictHostKeyChecking=accept-new', '-tt', '-i', keys[key]!.path, '-p', String(t.port), `${t.user}@${t.host}`], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.p.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
      this.p.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
      this.closed = new Promise((resolve) => this.p.on('close', resolve));
    }
    async waitFor(re: RegExp): Promise<string> {
      for (let i = 0; i < 1000; i++) {
        if (re.test(this.out)) {
          const o = this.out;
          this.out = '';
          return o;
        }
        const ended = await Promise.race([this.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);
        if (ended && !re.test(this.out)) throw new Error(`session ended before ${re}: ${JSON.stringify(this.out)}`);
      }
      throw new Error(`no ${re} in ${JSON.stringify(this.out)}`);
    }
    command(line: string): Promise<string> {
      this.p.stdin!.write(line + '\r');
      return this.waitFor(PROMPT);
    }
    kill(): void {
      this.p.kill();
    }
  }

  let idA = '';
  let a: Target;

  before(async () => {
    client = server.client({ accessKeyId: ACCOUNT[engine.name] });
    imageId = await engine.imageId(client);
    await createKey(client, 'e2e');
    await keygen('other', 'ed25519');
    await keygen('second', 'ed25519');
    await keygen('replacement', 'rsa');
    idA = await launch(client, 'e2e');
    a = await target(server, idA);
  });

  it('logs in as the image default user on the public address', async () => {
    const d = (await import('../helpers/instances.js')).describe;
    const instance = await d(client, idA);
    assert.equal(a.host, instance.PublicIpAddress);
    assert.equal(a.user, engine.user);
    const r = await ssh(a, 'e2e', 'whoami');
    assert.equal(r.stdout, `${engine.user}\n`, r.stderr);
    assert.equal(r.code, 0);
  });

  it('refuses another key and password authentication', async () => {
    const other = await ssh(a, 'other', 'whoami');
    assert.equal(other.code, 255);
    assert.match(other.stderr, /Permission denied \(publickey\)/);
    const pw = await ssh(a, 'e2e', 'whoami', { extra: ['-o', 'PreferredAuthentications=password,keyboard-interactive'] });
    assert.equal(pw.code, 255);
    assert.match(pw.stderr, /Permission denied \(publickey\)/);
  });

  it('key pairs for multiple users: a second user with sudo and their own key', async () => {
    const steps = [
      engine.addUser('newuser'),
      `sudo usermod -aG ${engine.sudoGroup} newuser`,
      'sudo mkdir /home/newuser/.ssh',
      `echo '${keys.second!.pub}' | sudo tee /home/newuser/.ssh/authorized_keys > /dev/null`,
      'sudo chown -R newuser:newuser /home/newuser/.ssh',
      'sudo chmod 700 /home/newuser/.ssh',
      'sudo chmod 600 /home/newuser/.ssh/authorized_keys',
      'sudo ls -la /home/newuser/.ssh',
    ].join(' && ');
    const setup = await ssh(a, 'e2e', steps);
    assert.equal(setup.code, 0, setup.stderr);
    assert.match(setup.stdout, /^-rw-------\.? 1 newuser newuser .* authorized_keys$/m);
    const r = await ssh(a, 'second', 'whoami; id -nG', { user: 'newuser' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^newuser\\n.*\\b${engine.sudoGroup}\\b`));
    assert.equal((await ssh(a, 'e2e', 'whoami', { user: 'newuser' })).code, 255);
    assert.equal((await ssh(a, 'second', 'whoami')).code, 255);
  });

  it('adding and replacing a key pair: the new key works, the old one is refused after its line is deleted', async () => {
    // A real image's own cloud-init may still be in its first boot here (ec2lite lets SSH in before
    // it, AWS orders sshd after it) and could write the launch key again after our edit: wait for it.
    if (engine.name === 'real') await ssh(a, 'e2e', 'cloud-init status --wait >/dev/null 2>&1; true');
    const add = await ssh(a, 'e2e', `echo '${keys.replacement!.pub}' >> ~/.ssh/authorized_keys && wc -l < ~/.ssh/authorized_keys`);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout.trim(), '2');
    assert.equal((await ssh(a, 'replacement', 'whoami')).stdout, `${engine.user}\n`);
    const del = await ssh(a, 'replacement', "sed -i '/ e2e$/d' ~/.ssh/authorized_keys && cat ~/.ssh/authorized_keys");
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout.trim(), keys.replacement!.pub);
    const old = await ssh(a, 'e2e', 'whoami');
    assert.equal(old.code, 255);
    assert.match(old.stderr, /Permission denied/);
  });

  it('metadata still serves the launch key after the replacement', async () => {
    const r = await ssh(a, 'replacement', 'curl -s http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key; echo; curl -s http://169.254.169.254/latest/meta-data/public-keys/');
    assert.equal(r.code, 0, r.stderr);
    const [key, list] = r.stdout.split('\n');
    assert.match(key!, /^ssh-rsa AAAA\S+ e2e$/);
    assert.notEqual(key, keys.replacement!.pub);
    assert.equal(list, '0=e2e');
  });

  it('IMDSv2 token flow; HttpTokens=required refuses IMDSv1 with 401', async () => {
    const v2 =
      'TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600") && ' +
      'curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id';
    const v1 = 'curl -s -o /dev/null -w "%{http_code}" http://169.254.169.254/latest/meta-data/instance-id';
    assert.equal((await ssh(a, 'replacement', v2)).stdout, idA);
    assert.equal((await ssh(a, 'replacement', v1)).stdout, '200');
    await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: idA, HttpTokens: 'required' }));
    assert.equal((await ssh(a, 'replacement', v1)).stdout, '401');
    assert.equal((await ssh(a, 'replacement', v2)).stdout, idA);
  });

  describe('a second instance', () => {
    let idB = '';
    let b: Target;
    before(async () => {
      await createKey(client, 'lifecycle');
      idB = await launch(client, 'lifecycle');
      b = await target(server, idB);
    });

    it('deleting the key pair leaves login working; RunInstances with the name fails', async () => {
      await client.send(new DeleteKeyPairCommand({ KeyName: 'lifecycle' }));
      const r = await ssh(b, 'lifecycle', 'whoami');
      assert.equal(r.stdout, `${engine.user}\n`, r.stderr);
      const e = await awsError(() => client.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: 'lifecycle' })));
      assert.equal(e.name, 'InvalidKeyPair.NotFound');
      assert.equal(e.message, "The key pair 'lifecycle' does not exist");
    });

    it('chmod 666 authorized_keys locks the user out until fixed from another session', async () => {
      const session = new Interactive(b, 'lifecycle');
      try {
        await session.waitFor(PROMPT);
        await session.command('chmod 666 ~/.ssh/authorized_keys');
        const locked = await ssh(b, 'lifecycle', 'whoami');
        assert.equal(locked.code, 255);
        assert.match(locked.stderr, /Permission denied \(publickey\)/);
        await session.command('chmod 600 ~/.ssh/authorized_keys');
        const fixed = await ssh(b, 'lifecycle', 'whoami');
        assert.equal(fixed.stdout, `${engine.user}\n`, fixed.stderr);
      } finally {
        session.kill();
      }
    });

    it('scp copies a file in and out', async () => {
      const local = file('payload.txt');
      const content = `hello from the host ${Date.now()}\nline two\n`;
      await writeFile(local, content);
      const scpArgs = [...common(b.knownHosts), '-o', 'StrictHostKeyChecking=accept-new', '-i', keys.lifecycle!.path, '-P', String(b.port)];
      const up = await exec('/usr/bin/scp', [...scpArgs, local, `${b.user}@${b.host}:payload.txt`]);
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await ssh(b, 'lifecycle', 'cat ~/payload.txt')).stdout, content);
      await ssh(b, 'lifecycle', 'echo made inside > ~/inside.txt');
      const back = file('inside.txt');
      const down = await exec('/usr/bin/scp', [...scpArgs, `${b.user}@${b.host}:inside.txt`, back]);
      assert.equal(down.code, 0, down.stderr);
      assert.equal(await readFile(back, 'utf8'), 'made inside\n');
    });

    it('stop/start keeps files and the SSH endpoint comes back', async () => {
      const kept = await ssh(b, 'lifecycle', 'echo persisted > ~/keep.txt');
      assert.equal(kept.code, 0, kept.stderr);
      await client.send(new StopInstancesCommand({ InstanceIds: [idB] }));
      const down = await ssh(b, 'lifecycle', 'whoami');
      assert.equal(down.code, 255);
      await waitForState(client, idB, 'stopped');
      assert.equal((await fetch(`${server.url}/_ec2lite/instances/${idB}/ssh`)).status, 404);
      await client.send(new StartInstancesCommand({ InstanceIds: [idB] }));
      await waitForState(client, idB, 'running');
      b = await target(server, idB, b.knownHosts);
      // same known_hosts: the host key is the instance's own, across stop/start
      const r = await ssh(b, 'lifecycle', 'cat ~/keep.txt ~/payload.txt | head -1', { extra: ['-o', 'StrictHostKeyChecking=yes'] });
      assert.equal(r.stdout, 'persisted\n', r.stderr);
    });

    it('the ec2lite ssh command runs OpenSSH with the right arguments', async () => {
      const r = await cli([
        'ssh', idB, '-i', keys.lifecycle!.path, '--endpoint', server.url, 'whoami',
        '--', '-o', `UserKnownHostsFile=${b.knownHosts}`, '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR',
      ]);
      assert.equal(r.stdout, `${engine.user}\n`, r.stderr);
      assert.equal(r.code, 0);
      const printed = await cli(['ssh', idB, '-i', 'k.pem', '-l', 'root', '--endpoint', server.url, '--print']);
      assert.match(printed.stdout, new RegExp(`^ssh -i k\\.pem ${b.port === 22 ? '' : `-p ${b.port} `}-o StrictHostKeyChecking=accept-new root@${b.host.replace(/\./g, '\\.')}\\n$`));
    });

    it('terminate ends access', async () => {
      await client.send(new TerminateInstancesCommand({ InstanceIds: [idB] }));
      const r = await ssh(b, 'lifecycle', 'whoami');
      assert.equal(r.code, 255);
      await waitForState(client, idB, 'terminated');
      const printed = await cli(['ssh', idB, '--endpoint', server.url, '--print']);
      assert.equal(printed.code, 1);
      assert.match(printed.stderr, /is terminated, not running/);
    });
  });

  it('a server restart brings running instances back with their endpoints, files and host keys', async () => {
    const data = tempDir('ec2lite-e2e-data-');
    const opts = { ephemeral: false, dataDir: data.path, instanceDelays: { start: 50, stop: 50, terminate: 50 }, ...(engine.name === 'real' ? bothEnginesServer() : {}) };
    let first: TestServer | undefined = await startTestServer(opts);
    let second: TestServer | undefined;
    try {
      const c1 = first.client();
      await createKey(c1, 'restart');
      // (on the simulated engine another image than the suite's: Ubuntu and its user)
      const [image, user] = engine.name === 'simulated' ? [(await images(c1)).ubuntu, 'ubuntu'] : [await engine.imageId(c1), engine.user];
      const id = await launch(c1, 'restart', image);
      const t1 = await target(first, id, file('known_hosts_restart'));
      assert.equal(t1.user, user);
      assert.equal((await ssh(t1, 'restart', 'echo before-restart > ~/note.txt && whoami')).stdout, `${user}\n`);
      await first.close();
      first = undefined;
      second = await startTestServer(opts);
      const c2 = second.client();
      await waitForState(c2, id, 'running');
      const t2 = await target(second, id, t1.knownHosts);
      assert.equal(t2.host, t1.host);
      const r = await ssh(t2, 'restart', 'cat ~/note.txt', { extra: ['-o', 'StrictHostKeyChecking=yes'] });
      assert.equal(r.stdout, 'before-restart\n', r.stderr);
    } finally {
      await first?.close();
      await second?.close();
      data.cleanup();
    }
  });
});
