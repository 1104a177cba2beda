// Editors and pagers on an instance, as a person uses them: the real OpenSSH client on a real
// terminal (a tmux pane), keys typed with send-keys, pastes through the terminal (bracketed when
// the editor asks for it), the screen read with capture-pane. The seed's "add a key pair"
// procedure ("Using a text editor of your choice, open the .ssh/authorized_keys file … Paste the
// public key … Save the file") done in vi and in nano, then a login with the new key; a
// `sudo vi /etc/…` edit keeps owner and mode; less and more page; a window resize re-renders;
// package managers say the instance is simulated.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { CreateKeyPairCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { bothEnginesServer, forEachEngine, type EngineVariant } from '../helpers/engine-variants.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance, sshOutput, sshTarget, type SshTarget } from '../helpers/ssh.js';
import { Tmux } from '../helpers/tmux.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/tmux'], 'the editor tests');

const dir = tempDir('ec2lite-editors-');
let server: TestServer;

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, ...bothEnginesServer() });
});

after(async () => {
  await server?.close();
  dir.cleanup();
});

/** Each engine's suite works in an account of its own: the same key names, apart. */
const ACCOUNT: Record<EngineVariant['name'], string> = { simulated: '111100000001', real: '111100000002' };

/** The shell prompt of either image (`[ec2-user@ip-… ~]$` on Amazon Linux, `admin@ip-…:~$` on Debian). */
const PROMPT = /\$ ?$/m;

/**
 * What each image's editors print where they differ, as a user sees them: Amazon Linux 2023's vi is
 * Vim with its defaults (short file messages, "-- INSERT --" and a ruler on the last row) and its
 * nano is 5.8; Debian 12's vi is vim.tiny in Vi-compatible mode (/etc/vim/vimrc.tiny: long file
 * messages, "[New File]", no mode or ruler line, untruncated messages) and its nano is 7.2 (a
 * modified buffer is a "*" after the file name).
 */
const LOOK = {
  simulated: {
    nano: '5\\.8',
    viRead: (lines: number, bytes = '\\d+') => `${lines}L, ${bytes}B`,
    viNew: '\\[New\\]',
    viStatusLine: true,
    nanoModified: /Modified\s*$/,
    viCtrlC: /^Type {2}:qa! {2}an\.\.\.s and exit Vim +1,1 +Top$/m,
  },
  real: {
    nano: '7\\.2',
    viRead: (lines: number, bytes = '\\d+') => `${lines} lines?, ${bytes} bytes`,
    viNew: '\\[New File\\]',
    viStatusLine: false,
    nanoModified: /authorized_keys \*$/,
    viCtrlC: /^Type {2}:qa {2}and press <Enter> to exit Vim$/m,
  },
};

/** The screen's last row (the editors' status or command line). */
const lastRow = (screen: string[]) => screen[screen.length - 1] ?? '';

/** A new key pair on the "laptop" (`prefix` keeps each engine's files apart). */
async function keygen(prefix: string, name: string): Promise<{ path: string; pub: string }> {
  const path = dir.file(`${prefix}-${name}`);
  const r = await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@laptop`, '-f', path]);
  assert.equal(r.code, 0, r.stderr);
  return { path, pub: (await readFile(`${path}.pub`, 'utf8')).trim() };
}

forEachEngine('editors and pagers over ssh in a terminal', (engine) => {
  const knownHosts = dir.file(`known_hosts_${engine.name}`);
  let client: EC2Client;
  let launchKey = '';
  let instanceId = '';
  let target: SshTarget;
  const terms: Tmux[] = [];
  const user = engine.user;
  const look = LOOK[engine.name];
  const re = (source: string) => new RegExp(source);

  /** Every instance of this file is launched here, port 22 opened as a user would (security groups). */
  async function launchInstance(keyName: string, imageId: string): Promise<string> {
    const r = await client.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: keyName }));
    const id = r.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    await allowSsh(client, id);
    return id;
  }

  const sshOpts = (key: string) => ({ key, knownHosts, hostKeys: 'no' as const });

  /**
   * The key logs in (`whoami` answers the user); if not, the failure says what the instance holds
   * (the file as the launch key sees it, the owners and modes StrictModes checks) and the editor's
   * last screen, so a failure on another machine can be read from its log alone.
   */
  async function assertLogsIn(keyPath: string, term: Tmux): Promise<void> {
    const r = await sshInstance(server.url, instanceId, 'whoami', sshOpts(keyPath));
    if (r.code === 0 && r.stdout === `${user}\n`) return;
    const state = await sshInstance(server.url, instanceId, 'cat -A ~/.ssh/authorized_keys; ls -la ~ ~/.ssh; id', sshOpts(launchKey));
    assert.fail(
      `the edited key does not log in: ${r.code} ${r.stderr.trim()}\n` +
        `the launch key: ${state.code} ${state.stderr.trim()}\n${state.stdout}\nthe terminal:\n${(await term.screen()).join('\n')}\n` +
        `the server's log:\n${server.recentLog().split('\n').slice(-30).join('\n')}`,
    );
  }

  /** An interactive login (ssh -tt) in a tmux pane, at the shell prompt. */
  async function login(size = { cols: 100, rows: 30 }): Promise<Tmux> {
    const t = await Tmux.start(
      ['/usr/bin/ssh', '-tt', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=no', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR',
        '-i', launchKey, '-p', String(target.port), `${target.user}@${target.host}`],
      size,
    );
    terms.push(t);
    await t.waitFor(PROMPT);
    return t;
  }

  /** `ssh -t host COMMAND` (an exec request with a PTY) in a tmux pane. */
  async function sshT(command: string, size = { cols: 80, rows: 24 }): Promise<Tmux> {
    const t = await Tmux.start(
      ['/usr/bin/ssh', '-t', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=no', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR',
        '-i', launchKey, '-p', String(target.port), `${target.user}@${target.host}`, command],
      size,
    );
    terms.push(t);
    return t;
  }

  before(async () => {
    client = server.client({ accessKeyId: ACCOUNT[engine.name] });
    const k = await client.send(new CreateKeyPairCommand({ KeyName: 'editors' }));
    launchKey = dir.file(`editors-${engine.name}.pem`);
    await writeFile(launchKey, k.KeyMaterial!, { mode: 0o600 });
    await chmod(launchKey, 0o600);
    instanceId = await launchInstance('editors', await engine.imageId(client));
    target = await sshTarget(server.url, instanceId);
  });

  after(async () => {
    for (const t of terms) await t.close();
  });

  describe("the seed's add-a-key procedure, typed into an editor", () => {
    it('vi: G, o, paste the public key, Escape, :wq — then the new key logs in', async () => {
      const key = await keygen(engine.name, 'vi-key');
      const before = await sshInstance(server.url, instanceId, 'whoami', sshOpts(key.path));
      assert.notEqual(before.code, 0, 'the new key must not log in before it is added');
      const t = await login();
      await t.type('vi ~/.ssh/authorized_keys');
      await t.keys('Enter');
      // (the whole screen: the empty lines past the end, then the file message)
      const opened = await t.waitFor(re(`\\n~\\n[^]*"~/\\.ssh/authorized_keys" ${look.viRead(1)}`));
      // the launch key's long line wraps over the first rows, then the empty lines past the end
      assert.match(opened[0]!, /^ssh-rsa AAAA/);
      assert.equal(opened[0]!.length, 100);
      const tilde = opened.indexOf('~');
      assert.ok(tilde > 1 && opened.slice(tilde, -1).every((r) => r === '~'), opened.join('\n'));
      if (look.viStatusLine) assert.match(lastRow(opened), /1,1\s+All$/);
      await t.keys('G', 'o');
      if (look.viStatusLine) await t.waitFor(/-- INSERT --/);
      // the new line under the key's rows (vi-compatible mode shows no mode): typed text goes there
      else await t.waitFor(/\S\n\n~\n/);
      await t.paste(key.pub);
      const pasted = await t.waitFor(/vi-key@laptop/);
      // pasted as text: still in Insert mode, the key on line 2
      if (look.viStatusLine) assert.match(lastRow(pasted), /^-- INSERT --\s+2,\d+\s+All$/);
      await t.keys('Escape');
      if (look.viStatusLine) await t.waitFor(/^\s+2,\d+\s+All$/m);
      await t.type(':wq');
      await t.keys('Enter');
      // the shell's screen comes back from the alternate screen
      const shell = await t.waitFor(/vi ~\/\.ssh\/authorized_keys\n.*\$ ?$/m);
      assert.doesNotMatch(shell.join('\n'), /-- INSERT --/);
      await assertLogsIn(key.path, t);
      assert.equal(await sshOutput(server.url, instanceId, 'stat -c "%a %U:%G" ~/.ssh/authorized_keys; wc -l < ~/.ssh/authorized_keys', sshOpts(launchKey)), `600 ${user}:${user}\n2\n`);
    });

    it('nano: Ctrl-End, paste, ^O, Enter at "File Name to Write", ^X — then the new key logs in', async () => {
      const key = await keygen(engine.name, 'nano-key');
      const n = Number(await sshOutput(server.url, instanceId, 'grep -c . ~/.ssh/authorized_keys', sshOpts(launchKey)));
      const t = await login();
      await t.type('nano .ssh/authorized_keys');
      await t.keys('Enter');
      // (the whole screen: title, the read message, the help lines)
      const opened = await t.waitFor(re(`GNU nano ${look.nano}[^]*\\[ Read ${n} lines? \\][^]*\\^X Exit`));
      assert.match(opened[0]!, re(`GNU nano ${look.nano}\\s+\\.ssh/authorized_keys`));
      assert.match(opened.join('\n'), /\^G Help\s+\^O Write Out\s+\^W Where Is\s+\^K Cut/);
      assert.match(opened.join('\n'), /\^X Exit\s+\^R Read File/);
      await t.keys('C-End');
      await t.paste(key.pub);
      // (an ED25519 key line fits in 100 columns, so it shows whole: wait for it, not for a ">" cut)
      const pasted = await t.waitFor(/nano-key@laptop$/m);
      assert.match(pasted[0]!, look.nanoModified);
      await t.keys('C-o');
      const prompt = await t.waitFor(/File Name to Write: \.ssh\/authorized_keys/);
      assert.match(prompt.join('\n'), /\^C Cancel/);
      await t.keys('Enter');
      await t.waitFor(new RegExp(`\\[ Wrote ${n + 1} lines \\]`));
      await t.keys('C-x');
      await t.waitFor(/nano \.ssh\/authorized_keys\n.*\$ ?$/m);
      await assertLogsIn(key.path, t);
      assert.equal(await sshOutput(server.url, instanceId, 'stat -c "%a %U" ~/.ssh/authorized_keys; grep -c . ~/.ssh/authorized_keys', sshOpts(launchKey)), `600 ${user}\n${n + 1}\n`);
    });

    it('nano: ^X on a modified buffer asks "Save modified buffer?"; N leaves the file as it was', async () => {
      const t = await login();
      await t.type('nano /tmp/scratch.txt');
      await t.keys('Enter');
      await t.waitFor(/\[ New File \]/);
      await t.type('draft');
      await t.keys('C-x');
      const ask = await t.waitFor(/Save modified buffer\?/);
      assert.match(ask.join('\n'), /Y Yes/);
      assert.match(ask.join('\n'), /N No\s+\^C Cancel/);
      await t.keys('n');
      await t.waitFor(/nano \/tmp\/scratch\.txt\n.*\$ ?$/m);
      const r = await sshInstance(server.url, instanceId, 'cat /tmp/scratch.txt', sshOpts(launchKey));
      assert.match(r.stderr, /No such file or directory/);
    });
  });

  describe('ssh -t host COMMAND', () => {
    it('ssh -t … sudo vi /etc/new-file edits through the exec PTY and exits with vi\'s status', async () => {
      const t = await sshT('sudo vi /etc/ec2lite-banner.txt; echo "vi-status=$?"; read -r _');
      await t.waitFor(re(`"/etc/ec2lite-banner\\.txt" ${look.viNew}`));
      await t.keys('i');
      await t.type('hello from ssh -t');
      await t.keys('Escape');
      await t.type(':wq');
      await t.keys('Enter');
      await t.waitFor(/vi-status=0/);
      assert.equal(await sshOutput(server.url, instanceId, 'cat /etc/ec2lite-banner.txt; stat -c "%a %U" /etc/ec2lite-banner.txt', sshOpts(launchKey)), 'hello from ssh -t\n644 root\n');
    });
  });

  describe('editing a root-owned file', () => {
    it('vi without sudo: [readonly], :w is E45, :w! is E212, :q! quits', async () => {
      const t = await login();
      await t.type('vi /etc/hostname');
      await t.keys('Enter');
      await t.waitFor(re(`"/etc/hostname" \\[readonly\\] ${look.viRead(1)}`));
      await t.keys('x');
      await t.type(':w');
      await t.keys('Enter');
      await t.waitFor(/E45: 'readonly' option is set \(add ! to override\)/);
      await t.type(':w!');
      await t.keys('Enter');
      await t.waitFor(/"\/etc\/hostname" E212: Can't open file for writing/);
      await t.type(':q');
      await t.keys('Enter');
      await t.waitFor(/E37: No write since last change \(add ! to override\)/);
      await t.type(':q!');
      await t.keys('Enter');
      await t.waitFor(/vi \/etc\/hostname\n.*\$ ?$/m);
    });

    it('sudo vi /etc/hostname: cc, new name, :wq keeps root:root 644', async () => {
      const before = await sshOutput(server.url, instanceId, 'stat -c "%a %U:%G" /etc/hostname', sshOpts(launchKey));
      const t = await login();
      await t.type('sudo vi /etc/hostname');
      await t.keys('Enter');
      await t.waitFor(re(`"/etc/hostname" ${look.viRead(1)}`));
      await t.keys('c', 'c');
      await t.type('web-1.example.internal');
      await t.keys('Escape');
      await t.type(':wq');
      await t.keys('Enter');
      await t.waitFor(/sudo vi \/etc\/hostname\n.*\$ ?$/m);
      assert.equal(await sshOutput(server.url, instanceId, 'cat /etc/hostname; stat -c "%a %U:%G" /etc/hostname', sshOpts(launchKey)), `web-1.example.internal\n${before}`);
      assert.equal(before, '644 root:root\n');
    });

    it('nano without sudo: "is unwritable", then ^O says nano\'s permission error', async () => {
      const t = await login();
      await t.type('nano /etc/hostname');
      await t.keys('Enter');
      await t.waitFor(/\[ File '\/etc\/hostname' is unwritable \]/);
      await t.type('x');
      await t.keys('C-o');
      await t.waitFor(/File Name to Write: \/etc\/hostname/);
      await t.keys('Enter');
      await t.waitFor(/\[ Error writing \/etc\/hostname: Permission denied \]/);
      await t.keys('C-x');
      await t.waitFor(/Save modified buffer\?/);
      await t.keys('n');
      await t.waitFor(/nano \/etc\/hostname\n.*\$ ?$/m);
    });
  });

  describe('paging', () => {
    it('less: the file name, space, G to (END), /pattern, q back to the shell', async () => {
      await sshOutput(server.url, instanceId, 'seq 1 200 > /tmp/nums', sshOpts(launchKey));
      const t = await login({ cols: 80, rows: 24 });
      await t.type('less');
      await t.keys('Enter');
      await t.waitFor(/^Missing filename \("less --help" for help\)$/m);
      await t.type('less /tmp/nums');
      await t.keys('Enter');
      const first = await t.waitFor(/^\/tmp\/nums$/m);
      assert.equal(first[0], '1');
      assert.equal(first[22], '23');
      assert.equal(lastRow(first), '/tmp/nums');
      await t.keys('Space');
      const second = await t.waitFor(/^:$/m);
      assert.equal(second[0], '24');
      await t.keys('G');
      const end = await t.waitFor(/^\(END\)$/m);
      assert.equal(end[22], '200');
      await t.keys('g');
      await t.type('/150');
      await t.keys('Enter');
      const found = await t.waitFor(/^150$/m);
      assert.equal(found[0], '150');
      await t.keys('b');
      const back = await t.waitFor(/^127$/m);
      assert.equal(back[0], '127');
      await t.keys('q');
      const shell = await t.waitFor(/less \/tmp\/nums\n.*\$ ?$/m);
      assert.ok(!shell.includes('150'), 'the alternate screen is gone');
    });

    it('more: a page, --More--(NN%), Enter for a line, space for a page, q', async () => {
      const t = await login({ cols: 80, rows: 24 });
      await t.type('more /tmp/nums');
      await t.keys('Enter');
      const first = await t.waitFor(/--More--\(\d+%\)/);
      assert.match(lastRow(first), /^--More--\(\d+%\)$/);
      assert.equal(first[first.length - 2], '23');
      await t.keys('Enter');
      const line = await t.waitFor(/^24\n--More--/m);
      assert.equal(line[line.length - 2], '24');
      await t.keys('Space');
      await t.waitFor(/^47\n--More--/m);
      await t.keys('q');
      const shell = await t.waitFor(/\$ ?$/m);
      assert.doesNotMatch(shell.join('\n'), /--More--/);
      // the pages stay in the scrollback: more does not use the alternate screen
      assert.match(shell.join('\n'), /\n47\n/);
    });

    it('less and more are cat when stdout is not a terminal', async () => {
      assert.equal(await sshOutput(server.url, instanceId, 'less /tmp/nums | head -3; more /tmp/nums | tail -1', sshOpts(launchKey)), '1\n2\n3\n200\n');
    });
  });

  describe('window size', () => {
    it('vi re-renders at the new size on a window change; stty size follows it', async () => {
      const t = await login({ cols: 100, rows: 30 });
      await t.type('stty size');
      await t.keys('Enter');
      await t.waitFor(/^30 100$/m);
      await t.type(`vi /tmp/wide.txt`);
      await t.keys('Enter');
      await t.waitFor(re(`"/tmp/wide\\.txt" ${look.viNew}`));
      await t.keys('i');
      await t.type('x'.repeat(70));
      await t.keys('Escape');
      const wide = await t.waitFor(look.viStatusLine ? /1,70\s+All/ : /^x{70}$/m);
      assert.equal(wide[0], 'x'.repeat(70));
      assert.equal(wide.length, 30);
      if (look.viStatusLine) assert.equal(lastRow(wide).indexOf('1,70'), 100 - 18);
      await t.resize(50, 15);
      const narrow = await t.waitFor(/^x{20}$/m);
      assert.equal(narrow.length, 15);
      // the 70 columns wrap onto two rows of 50, the ruler moves to the new width
      assert.equal(narrow[0], 'x'.repeat(50));
      assert.equal(narrow[1], 'x'.repeat(20));
      assert.equal(narrow[2], '~');
      if (look.viStatusLine) assert.equal(lastRow(narrow).indexOf('1,70'), 50 - 18);
      await t.type(':q!');
      await t.keys('Enter');
      await t.waitFor(/\$ ?$/m);
      await t.type('stty size');
      await t.keys('Enter');
      await t.waitFor(/^15 50$/m);
    });

    it('nano and less redraw for a window change; Ctrl-C is a key in vi, not an interrupt', async () => {
      await sshOutput(server.url, instanceId, 'seq 1 200 > /tmp/nums', sshOpts(launchKey));
      const t = await login({ cols: 100, rows: 30 });
      await t.type('nano /tmp/nums');
      await t.keys('Enter');
      const big = await t.waitFor(/\[ Read 200 lines \]/);
      assert.equal(big.length, 30);
      assert.match(big[28]!, /^\^G Help/);
      assert.equal(big[1], '1');
      await t.resize(60, 16);
      // (the redrawn screen, not the old one cut to the new height: line 12 right above the help)
      const small = await t.waitFor(/^12\n[^\n]*\n\^G Help[^\n]*\n\^X Exit/m);
      assert.equal(small.length, 16);
      assert.match(small[0]!, re(`^ {2}GNU nano ${look.nano} +/tmp/nums$`));
      assert.equal(small[12], '12');
      assert.match(small[14]!, /^\^G Help +\^O Write Out/);
      assert.match(small[15]!, /^\^X Exit +\^R Read File/);
      await t.keys('C-x');
      await t.waitFor(/\$ ?$/m);
      await t.type('less /tmp/nums');
      await t.keys('Enter');
      const l1 = await t.waitFor(/^\/tmp\/nums$/m);
      assert.equal(l1.length, 16);
      assert.equal(l1[14], '15');
      await t.resize(60, 10);
      // (less's first prompt names the file; a repaint may show its short prompt, ":")
      const l2 = await t.waitFor(/^9\n(\/tmp\/nums|:)$/m);
      assert.equal(l2.length, 10);
      await t.keys('q');
      await t.waitFor(/\$ ?$/m);
      await t.type('vi /tmp/nums');
      await t.keys('Enter');
      await t.waitFor(re(`"/tmp/nums" ${look.viRead(200, '692')}`));
      await t.keys('C-c');
      // (Vim with 'shortmess' T cuts it in the middle at this width; Vim 9.0 in Vi-compatible mode
      // shows it whole, and for a buffer without changes names :qa)
      await t.waitFor(look.viCtrlC);
      await t.type(':q');
      await t.keys('Enter');
      // (the shell's prompt first: keys typed while vi exits are vi's, and go with it, as in a real terminal)
      await t.waitFor(/vi \/tmp\/nums\n.*\$ ?$/m);
      await t.type('echo still-here');
      await t.keys('Enter');
      await t.waitFor(/^still-here$/m);
    });
  });
  // What the simulated OS says of programs it cannot run (on a real instance they simply run).
  if (engine.name === 'simulated') describe('programs only a real instance can run', () => {
    it('yum, dnf, pip3, python3, systemctl exit 127 with one line saying the instance is simulated', async () => {
      for (const cmd of ['sudo yum install -y httpd', 'dnf list installed', 'pip3 install boto3', 'python3 -c "print(1)"', 'sudo systemctl restart sshd']) {
        const r = await sshInstance(server.url, instanceId, cmd, sshOpts(launchKey));
        assert.equal(r.code, 127, cmd);
        const name = cmd.replace(/^sudo /, '').split(' ')[0]!;
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`^${name}: cannot run on this simulated instance .*launch the AMI on a real-instance guest engine`));
      }
      assert.equal(await sshOutput(server.url, instanceId, 'command -v yum; which systemctl', sshOpts(launchKey)), '/usr/bin/yum\n/usr/bin/systemctl\n');
    });
  });
});
