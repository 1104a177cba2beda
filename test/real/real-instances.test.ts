// crun (issue 24): real Debian instances end to end, with the real clients: the AWS SDK launches,
// OpenSSH logs in (exec with exit codes and stdin, sftp, scp), ssh2's client drives a pty with a
// resize, and the instance is a real process tree: its own user namespace, network and cgroup,
// cloud-init’s init stage holding SSH, stop/start/reboot/terminate on its processes (user data itself:
// test/e2e/user-data.test.ts on both engines).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import {
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  ImportKeyPairCommand,
  ModifyInstanceMetadataOptionsCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type RunInstancesCommandInput,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient, SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, waitForState } from '../helpers/instances.js';
import { engineStateDir, realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance, sshTarget } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';
import { loopsUnder } from '../../src/engines/crun/volume-disk.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/sftp', '/usr/bin/scp', '/usr/bin/crun', '/usr/bin/slirp4netns'], 'the real-instance tests');

const cache = realImageCache();
const dir = tempDir('ec2lite-real-');
const key = dir.file('id');
let server: TestServer;
let client: EC2Client;
let ami: string;

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 } });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'real', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'real', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  const debian = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images!;
  ami = debian[0]!.ImageId!;
});
after(async () => {
  await server.close();
  dir.cleanup();
});

/** One launch function for the file (the lead adds security-group opening here when merging). */
async function launch(userData?: string, instanceType = 't3.micro', extra: Partial<RunInstancesCommandInput> = {}): Promise<string> {
  const r = await client.send(
    new RunInstancesCommand({
      ...extra,
      ImageId: ami,
      InstanceType: instanceType as _InstanceType,
      MinCount: 1,
      MaxCount: 1,
      KeyName: 'real',
      UserData: userData === undefined ? undefined : Buffer.from(userData).toString('base64'),
    }),
  );
  const id = r.Instances![0]!.InstanceId!;
  await allowSsh(client, id);
  await waitForState(client, id, 'running');
  return id;
}

const ssh = (id: string, command: string, input?: string) =>
  input === undefined
    ? sshInstance(server.url, id, command, { key, knownHosts: dir.file(`kh_${id}`), hostKeys: 'accept-new' })
    : sshWithInput(id, command, input);

async function sshWithInput(id: string, command: string, input: string) {
  const t = await sshTarget(server.url, id);
  return runAsync(
    '/usr/bin/ssh',
    ['-o', `UserKnownHostsFile=${dir.file(`kh_${id}`)}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', key, '-p', String(t.port), `${t.user}@${t.host}`, command],
    { input },
  );
}

/** Whether this (the server's) process holds capability `bit` (24: CAP_SYS_RESOURCE). */
function hasCapability(bit: number): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? ((BigInt(`0x${m[1]}`) >> BigInt(bit)) & 1n) === 1n : false;
}

/** A command as root inside the instance (its namespaces, entered from the host through its PID 1). */
function guestRun(instanceId: string, command: string) {
  const pid = Math.min(...processesOf(instanceId));
  if (!Number.isFinite(pid)) return { status: -1 };
  return spawnSync('nsenter', ['-t', String(pid), '-U', '-m', '-p', '--', '/bin/sh', '-c', command], { stdio: 'ignore' });
}

/** 'open' when an SSH server greets at host:port, else how the connection ended (ECONNRESET, ECONNREFUSED…). */
function tcpProbe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('data', (d: Buffer) => {
      s.destroy();
      resolve(d.toString().startsWith('SSH-2.0-') ? 'open' : d.toString());
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    s.once('close', () => resolve('closed'));
  });
}

/** Mount points under `prefix` in the host's namespace and every process's (an instance's namespaces included). */
function mountsOf(prefix: string, hostOnly = false): string[] {
  const out = new Set<string>();
  for (const p of hostOnly ? ['self'] : ['self', ...readdirSync('/proc').filter((x) => /^\d+$/.test(x))]) {
    try {
      for (const l of readFileSync(`/proc/${p}/mountinfo`, 'utf8').split('\n')) {
        const at = l.split(' ')[4];
        if (at?.startsWith(prefix)) out.add(`${p}: ${at}`);
      }
    } catch {
      // gone
    }
  }
  return [...out];
}

/** Host processes that live in the instance's cgroup (its whole process tree). */
function processesOf(instanceId: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(`/ec2lite/${instanceId}`)) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

async function until(what: string, check: () => boolean, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

describe('real Debian 12 instances under crun', () => {
  it('DescribeImages lists the Debian AMI as Debian publishes it (owner, name, no alias)', async () => {
    const [img] = (await client.send(new DescribeImagesCommand({ ImageIds: [ami] }))).Images!;
    assert.equal(img!.OwnerId, '136693071363');
    assert.match(img!.Name!, /^debian-12-amd64-\d{8}-\d{4}$/);
    assert.equal(img!.ImageOwnerAlias, undefined);
    assert.equal(img!.RootDeviceType, 'ebs');
    assert.equal(img!.PlatformDetails, 'Linux/UNIX');
  });

  it('SSH as admin runs real programs: exit codes, stdin, sudo, python3, a guest root that is not host root', async () => {
    const id = await launch();
    const inst = await describeInstance(client, id);
    const t = await sshTarget(server.url, id);
    assert.equal(t.user, 'admin');
    const r = await ssh(id, 'grep ^VERSION_ID /etc/os-release; id -un; sudo -n id -u; python3 -c "print(6*7)"; cat /proc/self/uid_map; hostname; exit 3');
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'VERSION_ID="12"');
    assert.equal(lines[1], 'admin');
    assert.equal(lines[2], '0');
    assert.equal(lines[3], '42');
    assert.deepEqual(lines[4]!.trim().split(/\s+/), ['0', '100000', '65536']);
    assert.equal(lines[5], inst.PrivateDnsName!.split('.')[0]);
    const echo = await ssh(id, 'cat | tr a-z A-Z; echo err >&2', 'hello stdin\n');
    assert.equal(echo.stdout, 'HELLO STDIN\n');
    assert.equal(echo.stderr, 'err\n');
    // The instance's own network namespace holds its private address on eth0.
    const ip = await ssh(id, 'ip -4 -o addr show dev eth0');
    assert.match(ip.stdout, new RegExp(`inet ${inst.PrivateIpAddress!.replace(/\./g, '\\.')}/`));
    // Its own pid namespace: PID 1 is the reaper, and host processes are invisible (counted once
    // cloud-init's last stage has ended: SSH opens before it, and its processes would count).
    const ps = await ssh(id, 'cloud-init status --wait >/dev/null; cat /proc/1/comm; ps -e --no-headers | wc -l');
    assert.equal(ps.stdout.split('\n')[0], 'tini');
    assert.ok(Number(ps.stdout.split('\n')[1]) < 10, ps.stdout);
    // cloud-init's run logged no warning and no traceback (ec2lite's own drop-ins validate against its schema)
    const warnings = await ssh(id, 'sudo grep -E "WARNING|Traceback" /var/log/cloud-init.log; true');
    assert.equal(warnings.stdout, '');
    // Its cgroup has the instance type's limits (t3.micro: 1 GiB).
    const limits = await ssh(id, 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max');
    assert.equal(limits.stdout.trim(), String(1024 ** 3));
  });

  it('the instance type’s memory limit holds: a memory hog is OOM-killed inside, the instance lives on', async () => {
    const id = await launch(undefined, 't3.nano');
    const r = await ssh(id, 'python3 -c "b = bytearray(1024 ** 3)"; echo rc=$?; cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max');
    assert.match(r.stdout, /^rc=137\n/, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`\\n${String(1024 ** 3 / 2)}\\n$`));
    // PID 1 is never the victim (as a VM's init), where the server may lower its score (CAP_SYS_RESOURCE).
    const after = await ssh(id, 'echo alive; cat /proc/1/oom_score_adj');
    assert.equal(after.stdout, `alive\n${hasCapability(24) ? -1000 : 0}\n`, after.stderr);
  });

  it('the root volume is bounded at its size: df shows it, a filler gets ENOSPC inside, the instance works on; nothing mounted after terminate', async () => {
    const id = await launch(undefined, 't3.micro', { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 10 } }] });
    const GiB = 2 ** 30;
    const df = (await ssh(id, 'df -B1 --output=size,avail / | tail -1')).stdout.trim().split(/\s+/).map(Number);
    const [size, avail] = [df[0]!, df[1]!];
    assert.ok(size > 9.5 * GiB && size <= 10 * GiB, `df / size ${size}`);
    // Most of it at once (fallocate writes no data), then dd until the disk is full.
    const fill = await ssh(id, `fallocate -l ${avail - 64 * 2 ** 20} ~/big && dd if=/dev/zero of=~/fill bs=1M 2>&1; echo rc=$?; stat -c %s ~/fill; df -B1 --output=avail / | tail -1`);
    assert.match(fill.stdout, /^dd: error writing '\/home\/admin\/fill': No space left on device$[\s\S]*^rc=1$/m, fill.stdout + fill.stderr);
    const [written, left] = fill.stdout.trim().split('\n').slice(-2).map(Number);
    assert.ok(written! > 0 && written! <= 64 * 2 ** 20, `dd wrote ${written} bytes`);
    assert.ok(left! < 16 * 2 ** 20, `avail after the filler ${left}`);
    // The host's file behind it never grows past the volume's size.
    const root = (await describeInstance(client, id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const disk = `${engineStateDir(dir.file('data'))}/volumes/${root}/disk`;
    assert.equal(statSync(disk).size, 10 * GiB);
    assert.ok(statSync(disk).blocks * 512 <= 10 * GiB);
    const after = await ssh(id, 'rm ~/big ~/fill && echo ok > ~/small && cat ~/small && sudo apt-get --version | head -1');
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /^ok\napt \d/);
    // Its loop device and mounts live in the instance's namespaces only: none on the host, none after terminate.
    assert.deepEqual(mountsOf(dir.file('data'), true), [], 'the host does not see the volume mounted');
    assert.equal(loopsUnder(disk).length, 1, 'one loop device, in the instance’s namespaces');
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'terminated');
    assert.deepEqual(loopsUnder(disk), []);
    assert.deepEqual(mountsOf(`${engineStateDir(dir.file('data'))}/volumes/${root}`), []);
  });

  it('SSH as on EC2: refused while cloud-init’s init stage runs (pending), logins once it is done, before the final stage’s runcmd', async () => {
    // bootcmd runs in the init stage, runcmd in the final one: each waits for a file the test makes inside.
    const r = await client.send(
      new RunInstancesCommand({
        ImageId: ami,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        KeyName: 'real',
        UserData: Buffer.from(
          '#cloud-config\nbootcmd:\n  - [sh, -c, "until [ -e /run/go-init ]; do sleep 0.1; done"]\nruncmd:\n  - [sh, -c, "until [ -e /run/go-final ]; do sleep 0.1; done; echo final > /var/tmp/final"]\n',
        ).toString('base64'),
      }),
    );
    const id = r.Instances![0]!.InstanceId!;
    await allowSsh(client, id);
    await until('bootcmd waiting in the init stage', () => guestRun(id, 'pgrep -f go-init').status === 0);
    const t = await sshTarget(server.url, id);
    assert.equal(await tcpProbe(t.host, t.port), 'ECONNRESET');
    assert.equal((await describeInstance(client, id)).State!.Name, 'pending');
    assert.equal(guestRun(id, 'touch /run/go-init').status, 0);
    await waitForState(client, id, 'running');
    assert.equal(await tcpProbe(t.host, t.port), 'open');
    // cloud-init's ssh module had rewritten authorized_keys (truncate, write) before the first login could start.
    const during = await ssh(id, 'id -un; cloud-init status; sudo grep -c "Writing to /home/admin/.ssh/authorized_keys" /var/log/cloud-init.log; cat /var/tmp/final 2>&1');
    assert.equal(during.code, 1, during.stderr);
    assert.match(during.stdout, /^admin\nstatus: running\n[1-9]\n.*No such file or directory/);
    assert.equal(guestRun(id, 'touch /run/go-final').status, 0);
    assert.equal((await ssh(id, 'cloud-init status --wait >/dev/null; cat /var/tmp/final')).stdout, 'final\n');
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it('StrictModes on the real files: a group-writable home refuses the key', async () => {
    const id = await launch();
    assert.equal((await ssh(id, 'chmod 775 ~')).code, 0);
    const refused = await ssh(id, 'true');
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Permission denied \(publickey\)/);
  });

  // User data (scripts, #cloud-config users/write_files/runcmd, MIME, not run again) on real
  // instances: test/e2e/user-data.test.ts, whose suite runs on both engines.

  it('sftp put/get and scp through the image’s sftp-server', async () => {
    const id = await launch();
    const t = await sshTarget(server.url, id);
    const local = dir.write('up.txt', 'bytes over sftp\n');
    const opts = ['-o', `UserKnownHostsFile=${dir.file(`kh_${id}`)}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', key];
    const sftp = await runAsync('/usr/bin/sftp', [...opts, '-P', String(t.port), '-b', '-', `${t.user}@${t.host}`], {
      input: `put ${local} up.txt\nget up.txt ${dir.file('down.txt')}\n`,
    });
    assert.equal(sftp.code, 0, sftp.stderr);
    assert.equal(dir.readText('down.txt'), 'bytes over sftp\n');
    const scp = await runAsync('/usr/bin/scp', [...opts, '-P', String(t.port), local, `${t.user}@${t.host}:via-scp.txt`]);
    assert.equal(scp.code, 0, scp.stderr);
    const r = await ssh(id, 'stat -c "%U %a" up.txt via-scp.txt; cat via-scp.txt');
    // sftp and scp keep the local file's mode (0600 here), as with any OpenSSH server.
    assert.equal(r.stdout, 'admin 600\nadmin 600\nbytes over sftp\n');
  });

  it('a pty session is a real terminal and follows window-size changes', async () => {
    const id = await launch();
    const t = await sshTarget(server.url, id);
    const conn = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      conn.once('ready', () => resolve()).once('error', reject);
      conn.connect({ host: t.host, port: t.port, username: t.user, privateKey: readFileSync(key) });
    });
    try {
      // Each step waits for what the previous one printed (a loaded machine starts bash late).
      const out = await new Promise<string>((resolve, reject) => {
        conn.shell({ rows: 24, cols: 80, term: 'xterm' }, (err, ch) => {
          if (err) return reject(err);
          let text = '';
          const steps: [RegExp, () => void][] = [
            [/\$ $/m, () => ch.write('tty; echo SIZE1 $(stty size)\n')],
            [/SIZE1 \d+ \d+/, () => {
              ch.setWindow(40, 120, 0, 0);
            }],
            [/SIZE1 \d+ \d+[\s\S]*\$ $/, () => ch.write('echo SIZE2 $(stty size); exit 4\n')],
          ];
          ch.on('data', (d: Buffer) => {
            text += d.toString();
            while (steps.length && steps[0]![0].test(text)) steps.shift()![1]();
          });
          ch.on('exit', (code: number) => (text += `\nEXIT ${code}`));
          ch.on('close', () => resolve(text));
        });
      });
      assert.match(out, /\/dev\/pts\/\d+/);
      assert.match(out, /SIZE1 24 80/);
      assert.match(out, /SIZE2 40 120/);
      assert.match(out, /EXIT 4$/);
    } finally {
      conn.end();
    }
  });

  it('the guest reaches the Internet but never the host’s loopback services', async () => {
    const id = await launch();
    const apiPort = new URL(server.url).port;
    const r = await ssh(
      id,
      `curl -sS -m 20 -o /dev/null -w "%{http_code}\\n" http://deb.debian.org/debian/dists/bookworm/Release; ` +
        `curl -sS -m 3 http://169.254.64.2:${apiPort}/ 2>&1; echo rc=$?; curl -sS -m 3 http://127.0.0.1:${apiPort}/ 2>&1; echo rc=$?; ` +
        `curl -sS -m 3 http://169.254.64.2:5432/ 2>&1; echo rc=$?`,
    );
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], '200', r.stdout);
    assert.deepEqual(lines.filter((l) => l.startsWith('rc=')), ['rc=7', 'rc=7', 'rc=7'], r.stdout);
  });

  it('IMDS at 169.254.169.254 inside each instance: IMDSv2 with curl, its own identity, v1 refused once tokens are required', async () => {
    const a = await launch();
    const b = await launch();
    const v2 =
      'T=$(curl -s -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token); ' +
      'curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/instance-id';
    assert.equal((await ssh(a, v2)).stdout, a);
    assert.equal((await ssh(b, v2)).stdout, b);
    await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: a, HttpTokens: 'required' }));
    const v1 = await ssh(a, 'curl -s -o /dev/null -w "%{http_code}" http://169.254.169.254/latest/meta-data/instance-id');
    assert.equal(v1.stdout, '401');
    // 169.254.169.254 is not bound in the guest: a guest service can still take port 80 on every address.
    const bind = await ssh(a, `sudo python3 -c "import socket; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 80)); s.listen(); print('bound')"`);
    assert.equal(bind.stdout, 'bound\n', bind.stderr);
  });

  it('IMDS serves the launch’s metadata too: iam/info follows the association, block-device-mapping, and EC2 Instance Connect keys (managed-ssh-keys) that also log in', async () => {
    const id = await launch(undefined, 't3.micro', { IamInstanceProfile: { Name: 'real-role' } });
    const imds = (path: string) =>
      ssh(id, `T=$(curl -s -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/${path}`);
    const info = JSON.parse((await imds('iam/info')).stdout) as Record<string, string>;
    assert.equal(info['Code'], 'Success');
    assert.match(info['InstanceProfileArn']!, /:instance-profile\/real-role$/);
    assert.equal((await imds('block-device-mapping/root')).stdout, '/dev/xvda');
    // a pushed key: served at managed-ssh-keys and accepted by the instance's SSH endpoint
    const pushed = dir.file('pushed');
    assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pushed', '-f', pushed])).code, 0);
    const pub = (await readFile(`${pushed}.pub`, 'utf8')).trim();
    const eic = new EC2InstanceConnectClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
    assert.equal((await eic.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'admin', SSHPublicKey: pub }))).Success, true);
    assert.ok((await imds('managed-ssh-keys/active-keys/admin/')).stdout.includes(pub));
    const t = await sshTarget(server.url, id);
    const r = await runAsync('/usr/bin/ssh', ['-o', `UserKnownHostsFile=${dir.file(`kh_${id}`)}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', pushed, '-p', String(t.port), `admin@${t.host}`, 'id -un']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'admin\n');
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it('security groups hold at a real instance’s SSH endpoint: refused until tcp/22 is allowed', async () => {
    // A group of its own (the default group is opened by this file's other launches).
    const group = (await client.send(new CreateSecurityGroupCommand({ GroupName: 'real-closed', Description: 'no rules yet' }))).GroupId!;
    const r = await client.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'real', SecurityGroupIds: [group] }));
    const id = r.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    const refused = await ssh(id, 'true');
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Connection closed|kex_exchange_identification|Connection reset/);
    await allowSsh(client, id);
    const ok = await ssh(id, 'id -un');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'admin\n');
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it('stop ends its processes and keeps its disk; start brings both back; reboot keeps the disk; terminate removes it', async () => {
    const id = await launch();
    assert.equal((await ssh(id, 'echo kept > ~/kept')).code, 0);
    assert.ok(processesOf(id).length > 0);
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    await until('no process left in the stopped instance', () => processesOf(id).length === 0);
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'running');
    assert.equal((await ssh(id, 'cat ~/kept')).stdout, 'kept\n');
    const before = processesOf(id);
    await client.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    await until('a new process tree after reboot', () => {
      const now = processesOf(id);
      return now.length > 0 && !now.some((p) => before.includes(p));
    });
    assert.equal((await ssh(id, 'cat ~/kept')).stdout, 'kept\n');
    const rootVolume = (await describeInstance(client, id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    assert.ok(existsSync(`${engineStateDir(dir.file('data'))}/volumes/${rootVolume}`));
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'terminated');
    await until('no process after terminate', () => processesOf(id).length === 0);
    assert.equal(existsSync(`${engineStateDir(dir.file('data'))}/volumes/${rootVolume}`), false);
  });

  it('a second server started on the same data directory leaves this one’s instances running; its own state goes with it', async () => {
    // A server clears its state directory's leftovers at start: with a shared one, the second
    // server's start ended the first one's instances (two test processes on ./.ec2lite once did).
    const id = await launch();
    // the tree once it is idle (cloud-init's processes end by themselves)
    await ssh(id, 'cloud-init status --wait >/dev/null');
    await until('only the idle tree (the login ended)', () => processesOf(id).length === 2);
    const tree = processesOf(id);
    const runs = join(dir.file('data'), 'crun', 'runs');
    const second = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache });
    try {
      assert.equal(readdirSync(runs).filter((n) => n.startsWith('ephemeral-')).length, 2, 'each --ephemeral server works in a directory of its own');
      assert.ok(tree.every((p) => processesOf(id).includes(p)), 'the instance’s process tree lives on');
      const r = await ssh(id, 'whoami');
      assert.equal(r.stdout, 'admin\n', r.stderr);
    } finally {
      await second.close();
    }
    assert.equal(readdirSync(runs).filter((n) => n.startsWith('ephemeral-')).length, 1, 'the closed server’s directory is gone');
    assert.equal((await ssh(id, 'whoami')).stdout, 'admin\n');
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'terminated');
  });
});

describe('a host that cannot run the image', () => {
  it('RunInstances is refused with InsufficientInstanceCapacity and the reason; nothing is created', async () => {
    const empty = tempDir('ec2lite-real-empty-');
    const s = await startTestServer({ dataDir: empty.file('data'), realImages: ['debian-12'], imageCache: empty.file('no-cache') });
    try {
      const c = s.client();
      const debian = (await c.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images!;
      assert.equal(debian.length, 1);
      const e = await awsError(() => c.send(new RunInstancesCommand({ ImageId: debian[0]!.ImageId!, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' })));
      assert.equal(e.name, 'InsufficientInstanceCapacity');
      assert.equal(e.status, 500);
      assert.match(e.message, /^We currently do not have sufficient t3\.micro capacity in the Availability Zone you requested \(us-east-1[a-f]\)\./);
      assert.match(e.message, /image debian-12 is not built on this host \(fix: ec2lite images build debian-12\)/);
    } finally {
      await s.close();
      empty.cleanup();
    }
  });
});
