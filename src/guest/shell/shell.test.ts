import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootGuest } from '../../../test/helpers/guest.js';
import { needsMoreInput, parse } from './parser.js';

describe('parser', () => {
  it('parses pipes, lists, redirections and quotes', () => {
    const s = parse(`echo "a b" 'c' | tee -a f >> g 2>&1 && false || true; x=1`);
    assert.equal(s.items.length, 2);
    const first = s.items[0]!.command;
    assert.equal(first.first.commands.length, 2);
    assert.equal(first.rest.map((r) => r.op).join(), '&&,||');
    const tee = first.first.commands[1]!;
    assert.equal(tee.type, 'simple');
    assert.deepEqual(tee.type === 'simple' && tee.redirects.map((r) => [r.fd, r.op]), [[1, '>>'], [2, '>&']]);
  });

  it('parses control structures and rejects bad syntax', () => {
    const s = parse('if true; then echo; elif false; then :; else f() { echo; }; fi');
    const c = s.items[0]!.command.first.commands[0]!;
    assert.equal(c.type, 'if');
    assert.equal(c.type === 'if' && c.clauses.length, 2);
    assert.throws(() => parse('if true; then echo; done'), /unexpected token `done'/);
    assert.throws(() => parse('echo |'));
    assert.throws(() => parse("echo 'open"));
  });

  it('knows when interactive input continues', () => {
    assert.equal(needsMoreInput('echo "a'), true);
    assert.equal(needsMoreInput('echo a \\'), true);
    assert.equal(needsMoreInput('cat <<EOF\nx'), true);
    assert.equal(needsMoreInput('cat <<EOF\nx\nEOF'), false);
    assert.equal(needsMoreInput('ls &&'), true);
    assert.equal(needsMoreInput('ls'), false);
  });
});

describe('guest shell', async () => {
  const { guest } = await bootGuest();
  const run = (cmd: string, user = 'ec2-user', stdin?: string) => guest.exec(user, cmd, { stdin });

  it('expands variables, tilde, globs and command substitution', async () => {
    assert.equal((await run('echo $USER $HOME ~ "$(whoami)x"')).stdout, 'ec2-user /home/ec2-user /home/ec2-user ec2-userx\n');
    await run('touch a.txt b.txt c.log');
    assert.equal((await run('echo *.txt')).stdout, 'a.txt b.txt\n');
    assert.equal((await run("echo '*.txt' \"$NOPE\"x")).stdout, '*.txt x\n');
    assert.equal((await run('false; echo $?')).stdout, '1\n');
  });

  it('runs pipes, && || and redirections', async () => {
    const r = await run('printf "b\\na\\nb\\n" | sort | uniq -c > counts && cat counts; ls /nope 2>/dev/null || echo missing');
    assert.equal(r.stdout, '      1 a\n      2 b\nmissing\n');
    assert.equal((await run('echo one > f; echo two >> f; wc -l < f')).stdout, '2\n');
    assert.equal((await run('cat <<EOF\nhello $USER\nEOF')).stdout, 'hello ec2-user\n');
    assert.equal((await run('cat', 'ec2-user', 'from stdin')).stdout, 'from stdin');
  });

  it('applies file permissions and sudo rights', async () => {
    const denied = await run('cat /etc/sudoers');
    assert.equal(denied.exitCode, 1);
    assert.equal(denied.stderr, 'cat: /etc/sudoers: Permission denied\n');
    assert.equal((await run('sudo cat /etc/sudoers.d/90-cloud-init-users | grep NOPASSWD')).stdout, 'ec2-user ALL=(ALL) NOPASSWD:ALL\n');
    const redirect = await run('sudo echo x > /root/f');
    assert.equal(redirect.stderr, 'bash: line 1: /root/f: Permission denied\n');
    assert.equal((await run('echo x | sudo tee /root/f >/dev/null && sudo cat /root/f')).stdout, 'x\n');
  });

  it('manages users like shadow-utils and sudo', async () => {
    assert.equal((await run('sudo useradd -m alice && id alice')).stdout, 'uid=1001(alice) gid=1001(alice) groups=1001(alice)\n');
    assert.equal((await run('stat -c "%a %U:%G" /home/alice')).stdout, '700 alice:alice\n');
    assert.equal((await run('useradd bob')).exitCode, 1);
    assert.equal((await run('sudo useradd alice')).stderr, "useradd: user 'alice' already exists\n");
    await run('sudo usermod -aG wheel alice');
    assert.equal((await run('id -Gn alice')).stdout, 'alice wheel\n');
    // wheel needs a password, which no account has
    const s = await run('sudo -n true', 'alice');
    assert.equal(s.exitCode, 1);
    assert.equal(s.stderr, 'sudo: a password is required\n');
    assert.equal((await run('sudo true', 'alice')).stderr.includes('a password is required'), true);
    assert.equal((await run('sudo -u alice whoami')).stdout, 'alice\n');
    assert.equal((await run("sudo su - alice -c 'whoami; pwd'")).stdout, 'alice\n/home/alice\n');
    assert.equal((await run('su - alice -c whoami')).stderr, 'Password: \nsu: Authentication failure\n');
  });

  it('supports the key-management commands of the seed', async () => {
    await run('mkdir -p x/y/z && chmod 700 x && chmod u+x,go-rwx x/y && touch x/y/f && chmod 600 x/y/f');
    assert.equal((await run("stat -c '%a %U' x x/y x/y/f")).stdout, '700 ec2-user\n700 ec2-user\n600 ec2-user\n');
    await run("printf 'keep\\ndrop me\\nkeep2\\n' > k && sed -i '/drop/d' k");
    assert.equal((await run('cat k')).stdout, 'keep\nkeep2\n');
    assert.equal((await run("sed 's/keep/held/g' k | head -1")).stdout, 'held\n');
    assert.equal((await run('grep -c keep k; tail -n 1 k')).stdout, '2\nkeep2\n');
    await run('sudo chown -R alice:alice x');
    assert.equal((await run('sudo stat -c %U x/y/f')).stdout, 'alice\n');
    assert.equal((await run('chown ec2-user x')).stderr, "chown: changing ownership of 'x': Operation not permitted\n");
    const ls = await run('ls -la ~/.ssh');
    assert.match(ls.stdout, /^-rw-------\. 1 ec2-user ec2-user +\d+ .* authorized_keys$/m);
  });

  it('lists block devices and reaches only the metadata service', async () => {
    assert.match((await run('lsblk')).stdout, /^xvda +202:0 +0 +8G +0 disk $\n^└─xvda1 +202:1 +0 +8G +0 part \/$/m);
    const r = await run('curl -s http://169.254.169.254/latest/meta-data/local-ipv4');
    assert.equal(r.stdout, '172.31.5.10');
    const ext = await run('curl -sS https://example.com/');
    assert.equal(ext.exitCode, 6);
    assert.equal(ext.stderr, 'curl: (6) Could not resolve host: example.com\n');
  });

  it('enforces output limits and reports unknown commands', async () => {
    const nf = await run('nosuchcmd');
    assert.equal(nf.exitCode, 127);
    assert.equal(nf.stderr, 'bash: line 1: nosuchcmd: command not found\n');
    assert.equal((await run('exit 7')).exitCode, 7);
  });
});
