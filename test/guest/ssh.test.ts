// End-to-end: the real OpenSSH client (ssh, scp, sftp, ssh-keygen) against a
// guest's SSH endpoint. A missing binary is a failure, not a skip.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryVolumeStore } from '../../src/guest/fs/volume-store.js';
import { imageTemplate } from '../../src/guest/images.js';
import { InstanceGuest } from '../../src/guest/instance-guest.js';
import { type SshEndpoint, generateHostKey, startSshEndpoint } from '../../src/guest/ssh/server.js';
import { sampleMetadata } from '../helpers/guest.js';
import { requireTools, runAsync, type ProcessResult } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/scp', '/usr/bin/sftp', '/usr/bin/ssh-keygen'], 'the SSH end-to-end tests');

type Result = ProcessResult;
const run = (cmd: string, args: string[], input?: string): Promise<Result> => runAsync(cmd, args, { input });

let dir: string;
let store: MemoryVolumeStore;
let guest: InstanceGuest;
let endpoint: SshEndpoint;
let hostKey: string;
const keys: Record<string, { path: string; pub: string }> = {};

const COMMON = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR'];

function ssh(key: string, user: string, command: string, extra: string[] = [], input?: string): Promise<Result> {
  // ssh takes the first value of an option, so the extra ones go first
  return run('/usr/bin/ssh', [...extra, ...COMMON, '-i', keys[key]!.path, '-p', String(endpoint.port), `${user}@127.0.0.1`, command], input);
}

async function keygen(name: string, type: string, comment: string): Promise<void> {
  const path = join(dir, name);
  const args = ['-q', '-t', type, '-N', '', '-C', comment, '-f', path];
  if (type === 'rsa') args.push('-b', '2048', '-m', 'PEM');
  const r = await run('/usr/bin/ssh-keygen', args);
  assert.equal(r.code, 0, r.stderr);
  await chmod(path, 0o600);
  keys[name] = { path, pub: (await readFile(`${path}.pub`, 'utf8')).trim() };
}

async function boot(): Promise<void> {
  guest = await InstanceGuest.start({
    instanceId: 'i-0123456789abcdef0',
    image: imageTemplate('al2023'),
    rootVolume: { volumeId: 'vol-e2e' },
    volumes: store,
    metadata: sampleMetadata({ launchKey: { name: 'dev', publicKey: keys.launch!.pub } }),
  });
  endpoint = await startSshEndpoint({ host: '127.0.0.1', port: 0, hostKey, guest });
}

/** An interactive session on a PTY (ssh -tt) driven through its stdin. */
class Interactive {
  private out = '';
  private readonly p: ChildProcess;
  readonly closed: Promise<number | null>;
  constructor(key: string, user: string) {
    this.p = spawn('/usr/bin/ssh', [...COMMON, '-tt', '-i', keys[key]!.path, '-p', String(endpoint.port), `${user}@127.0.0.1`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.p.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.p.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.closed = new Promise((resolve) => this.p.on('close', resolve));
  }
  /** Wait until the output (since the last mark) matches. */
  async waitFor(re: RegExp): Promise<string> {
    for (;;) {
      if (re.test(this.out)) {
        const o = this.out;
        this.out = '';
        return o;
      }
      const ended = await Promise.race([this.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);
      if (ended && !re.test(this.out)) throw new Error(`session ended before ${re}: ${JSON.stringify(this.out)}`);
    }
  }
  async command(line: string): Promise<string> {
    this.p.stdin!.write(line + '\r');
    return this.waitFor(/\]\$ $/);
  }
  kill(): void {
    this.p.kill();
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ec2lite-ssh-'));
  await keygen('launch', 'rsa', 'dev');
  await keygen('other', 'ed25519', 'other');
  await keygen('second', 'ed25519', 'second-user');
  await keygen('replacement', 'rsa', 'replacement');
  store = new MemoryVolumeStore();
  hostKey = generateHostKey();
  await boot();
});

after(async () => {
  await guest.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('SSH endpoint with the real OpenSSH client', () => {
  it('logs in with the launch key and runs a command', async () => {
    const r = await ssh('launch', 'ec2-user', 'whoami');
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'ec2-user\n');
    assert.equal(r.code, 0);
  });

  it('refuses another key and password authentication', async () => {
    const other = await ssh('other', 'ec2-user', 'whoami');
    assert.equal(other.code, 255);
    assert.match(other.stderr, /Permission denied \(publickey\)/);
    const pw = await ssh('launch', 'ec2-user', 'whoami', ['-o', 'PreferredAuthentications=password,keyboard-interactive']);
    assert.equal(pw.code, 255);
    assert.match(pw.stderr, /Permission denied \(publickey\)/);
    const nouser = await ssh('launch', 'root', 'whoami');
    assert.equal(nouser.code, 255);
  });

  it('propagates exit status, stdout/stderr and stdin', async () => {
    const r = await ssh('launch', 'ec2-user', 'echo out; echo err >&2; exit 3');
    assert.deepEqual([r.code, r.stdout, r.stderr], [3, 'out\n', 'err\n']);
    const piped = await ssh('launch', 'ec2-user', 'cat > piped.txt && wc -c < piped.txt', [], 'hello\n');
    assert.equal(piped.stdout, '6\n');
  });

  it('accepts RSA keys with rsa-sha2-256 and ssh-rsa signatures', async () => {
    // rsa-sha2-512 is verified too, but ssh2 1.17 advertises it garbled in server-sig-algs
    // (missing comma, mscdex/ssh2#1485), so OpenSSH never chooses it: not forced here.
    for (const alg of ['rsa-sha2-256', 'ssh-rsa']) {
      const r = await ssh('launch', 'ec2-user', 'true', ['-o', `PubkeyAcceptedAlgorithms=${alg}`]);
      assert.equal(r.code, 0, `${alg}: ${r.stderr}`);
    }
  });

  it('key pairs for multiple users (seed procedure)', async () => {
    const steps = [
      'sudo useradd -m newuser',
      'sudo mkdir /home/newuser/.ssh',
      `echo '${keys.second!.pub}' | sudo tee /home/newuser/.ssh/authorized_keys > /dev/null`,
      'sudo chown -R newuser:newuser /home/newuser/.ssh',
      'sudo chmod 700 /home/newuser/.ssh',
      'sudo chmod 600 /home/newuser/.ssh/authorized_keys',
      'sudo ls -la /home/newuser/.ssh',
    ].join(' && ');
    const setup = await ssh('launch', 'ec2-user', steps);
    assert.equal(setup.code, 0, setup.stderr);
    assert.match(setup.stdout, /^-rw-------\. 1 newuser newuser .* authorized_keys$/m);
    const r = await ssh('second', 'newuser', 'whoami; pwd');
    assert.equal(r.stdout, 'newuser\n/home/newuser\n');
    assert.equal((await ssh('launch', 'newuser', 'whoami')).code, 255);
    assert.equal((await ssh('second', 'ec2-user', 'whoami')).code, 255);
    const sudo = await ssh('second', 'newuser', 'sudo whoami');
    assert.equal(sudo.code, 1);
    assert.match(sudo.stderr, /a password is required/);
  });

  it('adds and replaces a key pair (seed procedure); metadata keeps the launch key', async () => {
    const add = await ssh('launch', 'ec2-user', `echo '${keys.replacement!.pub}' >> .ssh/authorized_keys`);
    assert.equal(add.code, 0, add.stderr);
    assert.equal((await ssh('replacement', 'ec2-user', 'whoami')).stdout, 'ec2-user\n');
    assert.equal((await ssh('launch', 'ec2-user', 'whoami')).stdout, 'ec2-user\n');
    const del = await ssh('replacement', 'ec2-user', "sed -i '/ dev$/d' ~/.ssh/authorized_keys && cat ~/.ssh/authorized_keys");
    assert.equal(del.stdout, `${keys.replacement!.pub}\n`);
    const old = await ssh('launch', 'ec2-user', 'whoami');
    assert.equal(old.code, 255);
    const md = await ssh('replacement', 'ec2-user', 'curl -s http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key');
    assert.equal(md.stdout, keys.launch!.pub);
    // restore the launch key for the remaining tests
    await ssh('replacement', 'ec2-user', `echo '${keys.launch!.pub}' >> ~/.ssh/authorized_keys`);
  });

  it('locks the user out when authorized_keys is writable by others, until fixed from an open session', async () => {
    const shell = new Interactive('launch', 'ec2-user');
    await shell.waitFor(/\[ec2-user@ip-172-31-5-10 ~\]\$ $/);
    await shell.command('chmod 666 ~/.ssh/authorized_keys');
    const locked = await ssh('launch', 'ec2-user', 'whoami');
    assert.equal(locked.code, 255);
    const out = await shell.command('chmod 600 ~/.ssh/authorized_keys && stat -c %a ~/.ssh/authorized_keys');
    assert.match(out, /\r\n600\r\n/);
    assert.equal((await ssh('launch', 'ec2-user', 'whoami')).stdout, 'ec2-user\n');
    await shell.command('chmod 775 ~/.ssh');
    assert.equal((await ssh('launch', 'ec2-user', 'whoami')).code, 255);
    await shell.command('chmod 700 ~/.ssh');
    shell.kill();
    await shell.closed;
    assert.equal((await ssh('launch', 'ec2-user', 'whoami')).code, 0);
  });

  it('runs an interactive shell with a prompt, sudo -i and exit status', async () => {
    const shell = new Interactive('launch', 'ec2-user');
    const banner = await shell.waitFor(/\]\$ $/);
    assert.match(banner, /Amazon Linux 2023/);
    assert.match(await shell.command('whoami'), /whoami\r\nec2-user\r\n/);
    shell['p'].stdin!.write('sudo -i\r');
    await shell.waitFor(/\[root@ip-172-31-5-10 ~\]# $/);
    shell['p'].stdin!.write('exit\r');
    await shell.waitFor(/\[ec2-user@ip-172-31-5-10 ~\]\$ $/);
    shell['p'].stdin!.write('exit 4\r');
    assert.equal(await shell.closed, 4);
  });

  it('copies files in and out with scp and sftp', async () => {
    const local = join(dir, 'upload.txt');
    await writeFile(local, 'payload line\n');
    await chmod(local, 0o640);
    const scpArgs = [...COMMON, '-i', keys.launch!.path, '-P', String(endpoint.port)];
    const up = await run('/usr/bin/scp', [...scpArgs, local, 'ec2-user@127.0.0.1:upload.txt']);
    assert.equal(up.code, 0, up.stderr);
    const st = await ssh('launch', 'ec2-user', 'stat -c "%a %U %s" upload.txt && cat upload.txt');
    assert.equal(st.stdout, '640 ec2-user 13\npayload line\n');
    await ssh('launch', 'ec2-user', 'printf "from the guest\\n" > made.txt && chmod 600 made.txt');
    const down = join(dir, 'made.txt');
    const dl = await run('/usr/bin/scp', [...scpArgs, 'ec2-user@127.0.0.1:made.txt', down]);
    assert.equal(dl.code, 0, dl.stderr);
    assert.equal(await readFile(down, 'utf8'), 'from the guest\n');
    assert.equal((await stat(down)).mode & 0o777, 0o600);
    const denied = await run('/usr/bin/scp', [...scpArgs, local, 'ec2-user@127.0.0.1:/root/x']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Permission denied/);
    const sftp = await run('/usr/bin/sftp', [...scpArgs, '-b', '-', 'ec2-user@127.0.0.1'], 'mkdir d\nput ' + local + ' d/u.txt\nls d\nbye\n');
    assert.equal(sftp.code, 0, sftp.stderr);
    assert.match(sftp.stdout, /d\/u\.txt/);
    assert.equal((await ssh('launch', 'ec2-user', 'cat d/u.txt')).stdout, 'payload line\n');
  });

  it('answers the metadata service inside the guest (v1, v2, HttpTokens=required)', async () => {
    const base = 'http://169.254.169.254/latest';
    assert.equal((await ssh('launch', 'ec2-user', `curl -s ${base}/meta-data/instance-id`)).stdout, 'i-0123456789abcdef0');
    const v2 = `TOKEN=$(curl -s -X PUT "${base}/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600") && curl -s -H "X-aws-ec2-metadata-token: $TOKEN" ${base}/meta-data/placement/availability-zone`;
    assert.equal((await ssh('launch', 'ec2-user', v2)).stdout, 'us-east-1a');
    guest.setMetadataOptions({ httpTokens: 'required' });
    try {
      const v1 = await ssh('launch', 'ec2-user', `curl -s -o /dev/null -w '%{http_code}' ${base}/meta-data/instance-id`);
      assert.equal(v1.stdout, '401');
      const body = await ssh('launch', 'ec2-user', `curl -s ${base}/meta-data/instance-id`);
      assert.match(body.stdout, /<h1>401 - Unauthorized<\/h1>/);
      assert.equal((await ssh('launch', 'ec2-user', v2)).stdout, 'us-east-1a');
      const fail = await ssh('launch', 'ec2-user', `curl -sf ${base}/meta-data/instance-id`);
      assert.equal(fail.code, 22);
    } finally {
      guest.setMetadataOptions({ httpTokens: 'optional' });
    }
  });

  it('keeps files and the host key across stop/start, and stop ends sessions', async () => {
    await ssh('launch', 'ec2-user', 'echo survives > keep.txt');
    // HostKeyAlias makes known_hosts independent of the (ephemeral) port
    const knownHosts = join(dir, 'known_hosts');
    const pinned = (mode: string) => ['-o', `UserKnownHostsFile=${knownHosts}`, '-o', `StrictHostKeyChecking=${mode}`, '-o', 'HostKeyAlias=guest-e2e'];
    const first = await ssh('launch', 'ec2-user', 'true', pinned('accept-new'));
    assert.equal(first.code, 0, first.stderr);
    const shell = new Interactive('launch', 'ec2-user');
    await shell.waitFor(/\]\$ $/);
    const oldPort = endpoint.port;
    await guest.stop();
    await shell.closed;
    const refused = await run('/usr/bin/ssh', [...COMMON, '-i', keys.launch!.path, '-p', String(oldPort), 'ec2-user@127.0.0.1', 'true']);
    assert.equal(refused.code, 255);
    await boot();
    const r = await ssh('launch', 'ec2-user', 'cat keep.txt; wc -l < .ssh/authorized_keys', pinned('yes'));
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'survives\n2\n');
  });
});
