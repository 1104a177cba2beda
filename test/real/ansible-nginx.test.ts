// crun (issue 24): the seed's most common user-data line works on a real instance (apt-get install
// nginx from Debian's mirror, through the instance's user-mode network), and Ansible's ordinary
// modules run against it with become: ping, setup, copy, user, apt, service; `curl http://<public
// ip>/` reaches nginx once a security group opens port 80, and is refused before.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { AuthorizeSecurityGroupIngressCommand, DescribeImagesCommand, ImportKeyPairCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { describe as describeInstance } from '../helpers/instances.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance, sshTarget, type SshTarget } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/ansible', '/usr/bin/curl'], 'the real-instance Ansible tests');

const cache = realImageCache();
const dir = tempDir('ec2lite-real-ansible-');
const key = dir.file('id');
let server: TestServer;
let client: EC2Client;
let id: string;
let target: SshTarget;

/** One launch function for the file (the lead adds security-group opening here when merging). */
async function launch(userData: string): Promise<string> {
  const ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
  const r = await client.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, KeyName: 'k', UserData: Buffer.from(userData).toString('base64') }));
  const instanceId = r.Instances![0]!.InstanceId!;
  await allowSsh(client, instanceId);
  await waitForState(client, instanceId, 'running');
  return instanceId;
}

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'k', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  id = await launch('#!/bin/bash\napt-get update -q\napt-get install -y -q nginx\n');
  target = await sshTarget(server.url, id);
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const ssh = (command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file('kh') });

const ansible = async (args: string[]) => {
  const inventory = dir.file('inventory.ini');
  await writeFile(inventory, `[ec2]\ninstance ansible_host=${target.host} ansible_port=${target.port} ansible_user=${target.user} ansible_ssh_private_key_file=${key}\n`);
  return runAsync('/usr/bin/ansible', ['-i', inventory, 'instance', ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir.path,
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o UserKnownHostsFile=/dev/null',
      ANSIBLE_LOCAL_TEMP: dir.file('ansible-local'),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    },
  });
};

describe('a real instance with user data and Ansible', () => {
  it('user data `apt-get install -y nginx` installs and starts nginx for real', async () => {
    const r = await ssh('cloud-init status --wait >/dev/null; dpkg-query -W -f "\\${Status}\\n" nginx; curl -s http://localhost/ | grep -o "Welcome to nginx!" | head -1');
    assert.equal(r.stdout, 'install ok installed\nWelcome to nginx!\n', `${r.stderr}\n${(await ssh('sudo tail -20 /var/log/cloud-init-output.log')).stdout}`);
  });

  it('curl http://<public ip>/ reaches nginx once port 80 is open, and is refused before', async () => {
    const i = await describeInstance(client, id);
    const url = `http://${i.PublicIpAddress}/`;
    const curl = async () => {
      const r = await runAsync('/usr/bin/curl', ['-s', '-m', '10', '-w', '\n%{http_code}', url]);
      return { code: r.code, body: r.stdout };
    };
    // nginx listens (the previous test waited for it): published within a poll, refused by the group (reset).
    let before = await curl();
    for (let n = 0; n < 100 && before.code === 7; n++) {
      await new Promise((r) => setTimeout(r, 100));
      before = await curl();
    }
    assert.equal(before.code, 56, JSON.stringify(before));
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: i.SecurityGroups![0]!.GroupId!, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const after = await curl();
    assert.equal(after.code, 0);
    assert.match(after.body, /Welcome to nginx![\s\S]*\n200$/);
  });

  it('ssh -L forwards a local port to nginx inside the instance', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const tunnel = spawn('/usr/bin/ssh', [
      '-N', '-L', `${port}:localhost:80`, '-o', 'ExitOnForwardFailure=yes', '-o', `UserKnownHostsFile=${dir.file('kh')}`, '-o', 'StrictHostKeyChecking=no',
      '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', key, '-p', String(target.port), `${target.user}@${target.host}`,
    ], { stdio: 'ignore' });
    try {
      let body = '';
      for (let i = 0; i < 100 && !body.includes('Welcome to nginx!'); i++) {
        body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '');
        if (!body) await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(body, /Welcome to nginx!/);
      // A forward to a closed port inside: the channel ends at once with no bytes (the far end was refused).
      const refused = await runAsync('/usr/bin/ssh', ['-o', `UserKnownHostsFile=${dir.file('kh')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', key, '-p', String(target.port), '-W', 'localhost:81', `${target.user}@${target.host}`], { input: 'GET / HTTP/1.0\r\n\r\n' });
      assert.equal(refused.stdout, '');
      // The tunnel still serves.
      assert.match(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()), /Welcome to nginx!/);
    } finally {
      tunnel.kill();
    }
  });

  it('ping and setup (facts from the real OS)', async () => {
    const ping = await ansible(['-m', 'ping']);
    assert.equal(ping.code, 0, ping.stdout + ping.stderr);
    assert.match(ping.stdout, /"ping": "pong"/);
    const setup = await ansible(['-m', 'setup', '-a', 'filter=ansible_distribution*']);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    assert.match(setup.stdout, /"ansible_distribution": "Debian"/);
    assert.match(setup.stdout, /"ansible_distribution_major_version": "12"/);
  });

  it('copy, user and apt with become', async () => {
    const copy = await ansible(['-m', 'copy', '-a', 'content="from ansible\n" dest=/etc/ansible-was-here mode=0640', '--become']);
    assert.equal(copy.code, 0, copy.stdout + copy.stderr);
    assert.match(copy.stdout, /CHANGED/);
    const user = await ansible(['-m', 'user', '-a', 'name=alice shell=/bin/bash', '--become']);
    assert.equal(user.code, 0, user.stdout + user.stderr);
    const apt = await ansible(['-m', 'apt', '-a', 'name=tree state=present', '--become']);
    assert.equal(apt.code, 0, apt.stdout + apt.stderr);
    const r = await ssh('sudo stat -c "%U %a" /etc/ansible-was-here; sudo cat /etc/ansible-was-here; getent passwd alice | cut -d: -f1,7; tree --version | cut -c1-4');
    assert.equal(r.stdout, 'root 640\nfrom ansible\nalice:/bin/bash\ntree\n');
  });

  it('service: stop and start nginx with become', async () => {
    const stop = await ansible(['-m', 'service', '-a', 'name=nginx state=stopped', '--become']);
    assert.equal(stop.code, 0, stop.stdout + stop.stderr);
    assert.equal((await ssh('curl -s -o /dev/null -w "%{http_code}" http://localhost/; true')).stdout, '000');
    const start = await ansible(['-m', 'service', '-a', 'name=nginx state=started', '--become']);
    assert.equal(start.code, 0, start.stdout + start.stderr);
    assert.equal((await ssh('curl -s -o /dev/null -w "%{http_code}" http://localhost/')).stdout, '200');
  });
});
