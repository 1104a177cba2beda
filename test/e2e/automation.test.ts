// Automation tools against an instance, each exactly as it talks to a host:
// - Terraform's remote-exec: `scp -vt /tmp` (sink protocol) uploads /tmp/terraform_N.sh,
//   `chmod 0777 <path>`, the path run under a PTY, then an empty file over the script;
// - Packer's shell provisioner: upload, `chmod +x <path>; PACKER_BUILD_NAME='amazon-ebs' <path>`
//   with `#!/bin/sh -e`, and the `echo 'packer' | sudo -S sh -c '…'` execute_command;
// - Debian's ansible-core: `ansible -m raw` and `ansible -m script` with an inventory file, and on a
//   real instance the modules that need the instance's python3 (command, copy, stat).
// Terraform and Packer speak SSH through Go's x/crypto/ssh with their own scp code; the ssh2
// client here sends the same exec requests and scp bytes. Every tool runs on both guest engines
// (test/helpers/engine-variants.ts): a simulated Amazon Linux instance and a real Debian one.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { Client, type ClientChannel } from 'ssh2';
import { ImportKeyPairCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';
import { bothEnginesServer, forEachEngine } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/ansible'], 'the automation tests (apt-get install openssh-client ansible-core)');

const dir = tempDir('ec2lite-automation-');
let server: TestServer;
let client: EC2Client;
/** The instance the running suite works on (each engine's suite launches its own). */
let target: { host: string; port: number; user: string };
const key = dir.file('id');

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, ...bothEnginesServer() });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'auto', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'auto', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  privateKey = await readFile(key);
});
after(async () => {
  await server.close();
  dir.cleanup();
});

// ---- a Go-communicator-like SSH client (ssh2) --------------------------------------------

async function connect(): Promise<Client> {
  const c = new Client();
  await new Promise<void>((resolve, reject) => {
    c.once('ready', resolve).once('error', reject);
    c.connect({ host: target.host, port: target.port, username: target.user, privateKey: readKeySync() });
  });
  return c;
}
let privateKey: Buffer | undefined;
const readKeySync = () => privateKey!;

interface Exec { code: number; out: string }

function exec(c: Client, command: string, opts: { pty?: boolean; stdin?: string } = {}): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | undefined, ch: ClientChannel) => {
      if (err) return reject(err);
      let out = '';
      let code = -1;
      ch.on('data', (d: Buffer) => (out += d.toString()));
      ch.stderr.on('data', (d: Buffer) => (out += d.toString()));
      ch.on('exit', (n: number | null) => (code = n ?? -1));
      ch.on('close', () => resolve({ code, out }));
      if (opts.stdin !== undefined) ch.end(opts.stdin);
      else if (!opts.pty) ch.end();
    };
    // Terraform asks for an xterm PTY, 80x40, with echo off, when it runs the script.
    if (opts.pty) c.exec(command, { pty: { term: 'xterm', cols: 80, rows: 40, modes: { ECHO: 0 } } }, cb);
    else c.exec(command, cb);
  });
}

/** The scp sink protocol as Terraform's and Packer's communicator speak it (scpUploadFile). */
function scpUpload(c: Client, dirPath: string, name: string, body: string): Promise<Exec> {
  return new Promise((resolve, reject) => {
    c.exec(`scp -vt ${dirPath}`, (err, ch) => {
      if (err) return reject(err);
      let code = -1;
      let out = '';
      const acks: Buffer[] = [];
      let step = 0;
      ch.stderr.resume(); // -v debug lines ("Sink: C0644 …"), which Terraform only logs
      ch.on('data', (d: Buffer) => {
        acks.push(d);
        for (const b of d) {
          if (b !== 0) out += String.fromCharCode(b);
          else if (step === 0) {
            step = 1;
            ch.write(Buffer.concat([Buffer.from(body), Buffer.from([0])]));
          } else if (step === 1) {
            step = 2;
            ch.end();
          }
        }
      });
      ch.on('exit', (n: number | null) => (code = n ?? -1));
      ch.on('close', () => resolve({ code, out }));
      ch.write(`C0644 ${Buffer.byteLength(body)} ${name}\n`);
    });
  });
}

/** Packer's SFTP upload (ssh_file_transfer_method = "sftp"): open, write, close. */
function sftpUpload(c: Client, path: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    c.sftp((err, sftp) => {
      if (err) return reject(err);
      sftp.writeFile(path, body, (e) => {
        sftp.end();
        if (e) reject(e);
        else resolve();
      });
    });
  });
}

forEachEngine('automation tools', (engine) => {
  before(async () => {
    const r = await client.send(new RunInstancesCommand({ ImageId: await engine.imageId(client), MinCount: 1, MaxCount: 1, KeyName: 'auto' }));
    const id = r.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    await allowSsh(client, id);
    target = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as typeof target;
    assert.equal(target.user, engine.user);
  });

  it('Terraform remote-exec: scp -vt /tmp, chmod 0777, run the path under a PTY, wipe', async () => {
    const c = await connect();
    try {
      const path = '/tmp/terraform_1298498081.sh';
      // inline lines joined with \n; no shebang → "#!/bin/sh\n" prepended
      const script = '#!/bin/sh\necho "hello from $(whoami)"\nif [ -d /tmp ]; then echo tmp-ok; fi\nexit 3\n';
      assert.deepEqual(await scpUpload(c, '/tmp', 'terraform_1298498081.sh', script), { code: 0, out: '' });
      assert.equal((await exec(c, `chmod 0777 ${path}`)).code, 0);
      const ran = await exec(c, path, { pty: true });
      assert.equal(ran.code, 3);
      assert.equal(ran.out.replace(/\r\n/g, '\n'), `hello from ${engine.user}\ntmp-ok\n`);
      assert.equal((await scpUpload(c, '/tmp', 'terraform_1298498081.sh', '')).code, 0);
      assert.equal((await exec(c, `wc -c < ${path}; stat -c %a ${path}`)).out, '0\n777\n', 'emptied; the sink keeps the mode of a file it overwrites');
    } finally {
      c.end();
    }
  });

  it("Packer shell provisioner (scp, and ssh_file_transfer_method = \"sftp\"): chmod +x; PACKER_BUILD_NAME='amazon-ebs' /tmp/script_N.sh, and via sudo -S sh -c", async () => {
    const c = await connect();
    try {
      const script = '#!/bin/sh -e\necho "build=$PACKER_BUILD_NAME user=$(id -un)"\nfalse\necho not-reached\n';
      await sftpUpload(c, '/tmp/script_6734.sh', script);
      // Packer's default transfer is the same scp sink as Terraform's
      assert.equal((await scpUpload(c, '/tmp', 'script_6735.sh', script)).code, 0);
      const [sftpSum, scpSum, mode] = (await exec(c, 'sha256sum < /tmp/script_6734.sh; sha256sum < /tmp/script_6735.sh; stat -c %a /tmp/script_6735.sh')).out.split('\n');
      assert.equal(sftpSum, scpSum);
      assert.equal(mode, '644');
      const r = await exec(c, "chmod +x /tmp/script_6734.sh; PACKER_BUILD_NAME='amazon-ebs' /tmp/script_6734.sh");
      assert.deepEqual(r, { code: 1, out: `build=amazon-ebs user=${engine.user}\n` });
      const sudo = await exec(c, "chmod +x /tmp/script_6734.sh; echo 'packer' | sudo -S sh -c 'PACKER_BUILD_NAME='\"'\"'amazon-ebs'\"'\"' /tmp/script_6734.sh'");
      assert.deepEqual(sudo, { code: 1, out: 'build=amazon-ebs user=root\n' });
    } finally {
      c.end();
    }
  });

  it('OpenSSH scp -O (the legacy protocol): a tree up with -r -p, files back down', async () => {
    const local = dir.file(`${engine.name}-tree`);
    await mkdir(`${local}/sub`, { recursive: true });
    await writeFile(`${local}/a.txt`, 'alpha\n');
    await writeFile(`${local}/sub/b.bin`, Buffer.from([0, 1, 2, 255]));
    await chmod(`${local}/a.txt`, 0o640);
    const scpArgs = ['-O', '-q', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-i', key, '-P', String(target.port)];
    const up = await runAsync('/usr/bin/scp', [...scpArgs, '-r', '-p', local, `${target.user}@${target.host}:/tmp/tree`]);
    assert.equal(up.code, 0, up.stderr);
    const c = await connect();
    try {
      assert.equal((await exec(c, 'cat /tmp/tree/a.txt; stat -c %a /tmp/tree/a.txt; base64 /tmp/tree/sub/b.bin')).out, 'alpha\n640\nAAEC/w==\n');
    } finally {
      c.end();
    }
    const back = dir.file(`${engine.name}-back`);
    const down = await runAsync('/usr/bin/scp', [...scpArgs, '-r', `${target.user}@${target.host}:/tmp/tree`, back]);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await readFile(`${back}/a.txt`, 'utf8'), 'alpha\n');
    assert.deepEqual([...(await readFile(`${back}/sub/b.bin`))], [0, 1, 2, 255]);
    const missing = await runAsync('/usr/bin/scp', [...scpArgs, `${target.user}@${target.host}:/tmp/nope`, dir.file('nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /scp: \/tmp\/nope: No such file or directory/);
  });

  const ansible = async (args: string[]) => {
    const inventory = dir.file(`${engine.name}-inventory.ini`);
    await writeFile(
      inventory,
      `[ec2]\ninstance ansible_host=${target.host} ansible_port=${target.port} ansible_user=${target.user} ansible_ssh_private_key_file=${key}\n`,
    );
    return runAsync('/usr/bin/ansible', ['-i', inventory, 'instance', ...args], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir.path,
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o UserKnownHostsFile=/dev/null',
        ANSIBLE_LOCAL_TEMP: dir.file('ansible-local'),
        ANSIBLE_NOCOLOR: '1',
        ...(process.env.EC2LITE_ANSIBLE_VERBOSITY ? { ANSIBLE_VERBOSITY: process.env.EC2LITE_ANSIBLE_VERBOSITY } : {}),
      },
    });
  };

  it('ansible -m raw', async () => {
    const r = await ansible(['-m', 'raw', '-a', 'echo raw-$(whoami); uname -s']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^instance \\| CHANGED \\| rc=0 >>\\nraw-${engine.user}\\r?\\nLinux\\r?\\n`, 'm'));
    // become: sudo -H -S -n -u root /bin/sh -c 'echo BECOME-SUCCESS-…; <command>'
    const become = await ansible(['-m', 'raw', '-a', 'id -un', '--become']);
    assert.equal(become.code, 0, become.stdout + become.stderr);
    assert.match(become.stdout, /^instance \| CHANGED \| rc=0 >>\nroot\r?\n/m);
    const failed = await ansible(['-m', 'raw', '-a', 'exit 5']);
    assert.equal(failed.code, 2);
    assert.match(failed.stdout, /instance \| FAILED \| rc=5 >>/);
  });

  it('ansible -m script', async () => {
    const local = dir.file('probe.sh');
    await writeFile(local, '#!/bin/sh\necho "script as $(id -un) in $(pwd)"\nfor i in 1 2 3; do printf "$i"; done; echo\n');
    const r = await ansible(['-m', 'script', '-a', local]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /instance \| CHANGED => \{/);
    assert.ok(r.stdout.includes(`"stdout": "script as ${engine.user} in /home/${engine.user}\\r\\n123\\r\\n"`), r.stdout);
    const asRoot = await ansible(['-m', 'script', '-a', local, '--become']);
    assert.equal(asRoot.code, 0, asRoot.stdout + asRoot.stderr);
    assert.match(asRoot.stdout, /"stdout": "script as root in /);
  });

  // Ansible's ordinary modules run python3 on the instance (AnsiballZ payloads under ~/.ansible/tmp):
  // only a real instance has it. The simulated OS is for raw and script, as above.
  it('modules that run the instance’s python3: copy (idempotent), shell, apt', { skip: engine.name === 'simulated' ? 'the simulated OS has no python3 (raw and script only)' : false }, async () => {
    const src = dir.file('motd.txt');
    await writeFile(src, 'managed by ansible\n');
    const copy = () => ansible(['-m', 'ansible.builtin.copy', '-a', `src=${src} dest=/etc/motd mode=0644`, '--become']);
    const first = await copy();
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^instance \| CHANGED => \{/m);
    assert.match(first.stdout, /"checksum": "02d56a98c137d51cdd78a4641c28a48e5d86fe28"/);
    const again = await copy();
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /^instance \| SUCCESS => \{/m, 'the same checksum on the instance: nothing to change');
    assert.match(again.stdout, /"changed": false/);
    const shell = await ansible(['-m', 'ansible.builtin.shell', '-a', 'python3 -c "import sys; print(sys.version_info[0])"; stat -c "%U %a" /etc/motd; cat /etc/motd']);
    assert.equal(shell.code, 0, shell.stdout + shell.stderr);
    assert.match(shell.stdout, /^instance \| CHANGED \| rc=0 >>\n3\nroot 644\nmanaged by ansible\n/m);
    // python3-apt reads the real dpkg database: an installed package is already there
    const apt = await ansible(['-m', 'ansible.builtin.apt', '-a', 'name=less state=present', '--become']);
    assert.equal(apt.code, 0, apt.stdout + apt.stderr);
    assert.match(apt.stdout, /^instance \| SUCCESS => \{/m);
    const missing = await ansible(['-m', 'ansible.builtin.apt', '-a', 'name=no-such-package-ec2lite state=present', '--become']);
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /No package matching 'no-such-package-ec2lite' is available/);
  });
});
