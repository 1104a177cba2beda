import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MemoryVolumeStore } from '../fs/volume-store.js';
import { imageTemplate } from '../images.js';
import { InstanceGuest } from '../instance-guest.js';
import { bootGuest, sampleMetadata } from '../../../test/helpers/guest.js';
import { splitUserData } from './user-data.js';

const ud = (text: string) => Buffer.from(text);
const boot = (userData: Buffer | undefined, store?: Awaited<ReturnType<typeof bootGuest>>['store']) =>
  bootGuest({ metadata: { userData }, store });

describe('user data parts', () => {
  it('types plain text by its first line and undoes gzip', () => {
    assert.deepEqual(splitUserData(ud('#!/bin/bash\necho hi\n')).map((p) => p.kind), ['shellscript']);
    assert.deepEqual(splitUserData(gzipSync(ud('#cloud-config\nruncmd: [ls]\n'))).map((p) => p.kind), ['cloud-config']);
    assert.deepEqual(splitUserData(ud('hello')).map((p) => p.contentType), ['text/x-not-multipart']);
    assert.deepEqual(splitUserData(Buffer.alloc(0)), []);
  });

  it('splits MIME multi-part messages by boundary, with names and base64 parts', () => {
    const mime = [
      'Content-Type: multipart/mixed; boundary="==XYZ=="',
      'MIME-Version: 1.0',
      '',
      '--==XYZ==',
      'Content-Type: text/cloud-config; charset="us-ascii"',
      '',
      '#cloud-config',
      'hostname: web1',
      '',
      '--==XYZ==',
      'Content-Type: text/x-shellscript; charset="us-ascii"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="setup.sh"',
      '',
      Buffer.from('#!/bin/sh\necho setup\n').toString('base64'),
      '--==XYZ==--',
      '',
    ].join('\n');
    const parts = splitUserData(ud(mime));
    assert.deepEqual(parts.map((p) => [p.kind, p.filename]), [['cloud-config', undefined], ['shellscript', 'setup.sh']]);
    assert.equal(parts[0]!.body.toString(), '#cloud-config\nhostname: web1\n');
    assert.equal(parts[1]!.body.toString(), '#!/bin/sh\necho setup\n');
  });
});

describe('cloud-init at boot', () => {
  it('runs a #! script once as root, logs its output, keeps it under /var/lib/cloud', async () => {
    const { guest, store } = await boot(ud('#!/bin/bash\necho "hello from $(whoami)" > /root/hello\necho to-the-log\n'));
    const r = await guest.exec('ec2-user', 'sudo cat /root/hello; cat /var/log/cloud-init-output.log; sudo cat /var/lib/cloud/instance/scripts/part-001; sudo cat /var/lib/cloud/instances/i-0123456789abcdef0/user-data.txt | head -1; cloud-init status');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^hello from root\n/);
    assert.match(r.stdout, /Cloud-init v\. 22\.2\.2 running 'modules:final' at .*\nto-the-log\nCloud-init v\. 22\.2\.2 finished at /);
    assert.match(r.stdout, /#!\/bin\/bash\necho "hello from \$\(whoami\)"/);
    assert.match(r.stdout, /status: done\n$/);
    await guest.exec('root', 'rm /root/hello');
    await guest.stop();
    const again = await boot(ud('#!/bin/bash\necho "hello from $(whoami)" > /root/hello\n'), store);
    const r2 = await again.guest.exec('root', 'ls /root/hello; grep -c "running .modules:final" /var/log/cloud-init-output.log');
    assert.equal(r2.stdout, '2\n', 'the script did not run again; cloud-init itself did');
    assert.match(r2.stderr, /No such file or directory/);
  });

  it('applies #cloud-config: users, keys, write_files, hostname, runcmd, bootcmd; logs unknown modules', async () => {
    const config = `#cloud-config
hostname: web1
users:
  - default
  - name: deploy
    gecos: Deploy User
    groups: [wheel, docker]
    sudo: ALL=(ALL) NOPASSWD:ALL
    shell: /bin/bash
    ssh_authorized_keys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployDeployDeployDeployDeployDeployDeploy deploy@ci
ssh_authorized_keys:
  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExtraExtraExtraExtraExtraExtraExtraExtraEx extra@ci
write_files:
  - path: /etc/app/config.json
    content: '{"port": 8080}'
    permissions: '0640'
    owner: deploy:deploy
    defer: true
  - path: /opt/b64.txt
    encoding: b64
    content: ${Buffer.from('decoded\n').toString('base64')}
    permissions: 0600
  - path: /opt/gz.txt
    encoding: gz+b64
    content: ${gzipSync(Buffer.from('gunzipped\n')).toString('base64')}
bootcmd:
  - echo boot >> /var/tmp/boots
runcmd:
  - echo first > /root/runcmd.txt
  - [cp, /root/runcmd.txt, "/root/copy of runcmd"]
  - [sh, -c, "echo second >> /root/runcmd.txt"]
packages: [nginx]
`;
    const { guest, store } = await boot(ud(config));
    const r = await guest.exec('root', [
      'hostname',
      'id deploy',
      'grep ^deploy /etc/sudoers.d/90-cloud-init-users',
      'cat /home/deploy/.ssh/authorized_keys',
      'stat -c "%a %U" /home/deploy/.ssh /home/deploy/.ssh/authorized_keys /etc/app/config.json /opt/b64.txt',
      'cat /etc/app/config.json; echo',
      'cat /opt/b64.txt /opt/gz.txt',
      'tail -1 /home/ec2-user/.ssh/authorized_keys',
      'cat /var/tmp/boots',
      'grep packages /var/log/cloud-init.log | head -1',
    ].join('; '));
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'web1');
    assert.match(lines[1]!, /^uid=\d+\(deploy\) gid=\d+\(deploy\) groups=\d+\(deploy\),\d+\(wheel\),\d+\(docker\)/);
    assert.equal(lines[2], 'deploy ALL=(ALL) NOPASSWD:ALL');
    assert.match(lines[3]!, /^ssh-ed25519 AAAA\S+ deploy@ci$/);
    assert.deepEqual(lines.slice(4, 8), ['700 deploy', '600 deploy', '640 deploy', '600 root']);
    assert.deepEqual(lines.slice(8, 11), ['{"port": 8080}', 'decoded', 'gunzipped']);
    assert.match(lines[11]!, /extra@ci$/);
    assert.equal(lines[12], 'boot');
    assert.match(lines[13]!, /module 'packages' is not supported/);
    assert.equal((await guest.exec('root', 'cat /root/runcmd.txt "/root/copy of runcmd"')).stdout, 'first\nsecond\nfirst\n');
    // bootcmd runs at every boot; runcmd and users only once
    await guest.exec('root', 'rm /root/runcmd.txt "/root/copy of runcmd"');
    await guest.stop();
    const again = await boot(ud(config), store);
    const r2 = await again.guest.exec('root', 'cat /var/tmp/boots; ls /root');
    assert.equal(r2.stdout, 'boot\nboot\n');
  });

  it('runs multi-part and gzip user data; a failing script makes status error', async () => {
    const mime = [
      'Content-Type: multipart/mixed; boundary="b"',
      'MIME-Version: 1.0',
      '',
      '--b',
      'Content-Type: text/cloud-config',
      '',
      '#cloud-config',
      'write_files:',
      '  - path: /tmp/from-config',
      '    content: cc',
      '--b',
      'Content-Type: text/x-shellscript',
      '',
      '#!/bin/sh',
      'cat /tmp/from-config > /tmp/from-script',
      '--b',
      'Content-Type: text/cloud-boothook',
      '',
      '#cloud-boothook',
      '#!/bin/sh',
      'echo "hook $INSTANCE_ID" >> /var/tmp/hooks',
      '--b--',
    ].join('\n');
    const { guest, store } = await boot(gzipSync(ud(mime)));
    assert.equal((await guest.exec('root', 'cat /tmp/from-script; echo; ls /var/lib/cloud/instance/scripts /var/lib/cloud/instance/boothooks')).stdout,
      'cc\n/var/lib/cloud/instance/boothooks:\npart-003\n\n/var/lib/cloud/instance/scripts:\npart-002\n');
    await guest.stop();
    const again = await boot(gzipSync(ud(mime)), store);
    assert.equal((await again.guest.exec('root', 'cat /var/tmp/hooks')).stdout, 'hook i-0123456789abcdef0\nhook i-0123456789abcdef0\n', 'boothooks run at every boot');
    const failing = await boot(gzipSync(ud('#!/bin/sh\nfalse\n')));
    const s = await failing.guest.exec('ec2-user', 'cloud-init status --wait; echo "exit $?"; grep WARNING /var/log/cloud-init-output.log');
    assert.match(s.stdout, /^\nstatus: error\nexit 1\n/);
    assert.match(s.stdout, /Failed running \/var\/lib\/cloud\/instance\/scripts\/part-001 \[1\]/);
    assert.match(s.stdout, /Failed to run module scripts-user/);
  });

  it('a stop during a user data script keeps what it did before, nothing after; the script does not run again', async () => {
    const store = new MemoryVolumeStore();
    const start = () =>
      InstanceGuest.start({
        instanceId: 'i-0123456789abcdef0',
        image: imageTemplate('al2023'),
        rootVolume: { volumeId: 'vol-root1' },
        volumes: store,
        metadata: sampleMetadata({ userData: ud('#!/bin/sh\necho early > /root/early\nsleep 0.2\necho late > /root/late\n') }),
      });
    const first = await start();
    // wait until the script is inside its sleep: /root/early exists
    while ((await first.exec('root', 'test -e /root/early')).exitCode !== 0) await new Promise((r) => setTimeout(r, 5));
    await first.stop();
    await first.cloudInit;
    const second = await start();
    await second.cloudInit;
    const r = await second.exec('root', 'cat /root/early; ls /root/late; grep -c "config_scripts_user already ran" /var/log/cloud-init.log');
    assert.equal(r.stdout, 'early\n1\n', 'written before the stop: kept; the semaphore was taken when the module started');
    assert.match(r.stderr, /cannot access '\/root\/late': No such file or directory/, 'the write after the stop was not saved, and the script did not run again');
  });
  it("runs the AWS guide's kind of script: set -euo pipefail, IMDSv2 token, loops; #!/bin/sh -e stops at a failure", async () => {
    const script = [
      '#!/bin/bash',
      'set -euo pipefail',
      'TOKEN=$(curl -s -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")',
      'ID=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id)',
      'mkdir -p /var/www/html',
      'echo "<h1>Hello from $ID</h1>" > /var/www/html/index.html',
      'for i in 1 2 3; do echo "step $i"; done',
      'if [ "$(id -u)" -eq 0 ]; then echo "as root: $0"; fi',
    ].join('\n');
    const { guest } = await boot(ud(script));
    const r = await guest.exec('ec2-user', 'cat /var/www/html/index.html; grep -E "^(step|as root)" /var/log/cloud-init-output.log; cloud-init status');
    assert.equal(r.stdout, '<h1>Hello from i-0123456789abcdef0</h1>\nstep 1\nstep 2\nstep 3\nas root: /var/lib/cloud/instance/scripts/part-001\nstatus: done\n');
    const stops = await boot(ud('#!/bin/sh -e\necho before\nfalse\necho after\n'));
    const s2 = await stops.guest.exec('root', 'grep -E "^(before|after)" /var/log/cloud-init-output.log; cloud-init status --long; echo "exit $?"; cloud-init --version');
    assert.match(s2.stdout, /^before\nstatus: error\ntime: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000\ndetail:\nDataSourceEc2\nerrors: running module scripts_user\nexit 1\n\/usr\/bin\/cloud-init 22\.2\.2\n$/);
  });

  it('a package manager or python3 in user data fails with the simulated-instance line in the output log', async () => {
    const { guest } = await boot(ud('#!/bin/bash\necho before\nyum install -y httpd\necho "yum said $?"\nsystemctl enable --now httpd || echo "systemctl said $?"\n'));
    const r = await guest.exec('ec2-user', 'cat /var/log/cloud-init-output.log');
    assert.match(r.stdout, /\nbefore\nyum: cannot run on this simulated instance \(ec2lite simulates its operating system[^\n]*real-instance guest engine[^\n]*\nyum said 127\n/);
    assert.match(r.stdout, /\nsystemctl: cannot run on this simulated instance [^\n]*\nsystemctl said 127\n/);
    const py = await boot(ud('#!/usr/bin/python3\nprint("hi")\n'));
    const log = await py.guest.exec('ec2-user', 'cat /var/log/cloud-init-output.log; cloud-init status');
    assert.match(log.stdout, /\npython3: cannot run on this simulated instance [^\n]*\n/);
    assert.match(log.stdout, /status: error\n$/);
  });
});
