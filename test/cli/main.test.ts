// The ec2lite command itself: help for every command, dispatch, exit codes, the terminal prompt.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { run, sshKeygen, tempDir, writePrivate } from '../helpers/tools.js';
import { MAIN_JS, cli } from './cli-harness.js';

const COMMANDS = [
  ['keyfile', 'fingerprint'],
  ['keyfile', 'public'],
  ['keyfile', 'convert'],
  ['keyfile', 'generate'],
  ['key-pairs', 'create'],
  ['key-pairs', 'import'],
  ['key-pairs', 'list'],
  ['key-pairs', 'show'],
  ['key-pairs', 'delete'],
  ['key-pairs', 'verify'],
];

describe('ec2lite help and dispatch', () => {
  it('top-level help lists keyfile and key-pairs and documents the exit codes', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ {2}keyfile +local key files/m);
    assert.match(r.stdout, /^ {2}key-pairs +key pairs on an EC2 endpoint/m);
    for (const code of ['0', '1', '2', '3']) assert.match(r.stdout, new RegExp(`^ {2}${code} {2}\\S`, 'm'));
    const none = await cli([]);
    assert.deepEqual([none.code, none.stdout], [2, '']);
    assert.match(none.stderr, /^Usage: ec2lite <command>/);
  });

  for (const [group, sub] of COMMANDS) {
    it(`ec2lite ${group} ${sub} --help: usage, options and examples`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await cli([group!, sub!, flag]);
        assert.equal(r.code, 0);
        assert.equal(r.stderr, '');
        assert.ok(r.stdout.startsWith(`Usage: ec2lite ${group} ${sub}`), r.stdout);
        assert.match(r.stdout, /\nOptions:\n/);
        assert.match(r.stdout, new RegExp(`\\nExamples:\\n(  .*\\n)*  ec2lite ${group} ${sub} `));
        assert.match(r.stdout, /\nExit codes: 0 /);
        if (group === 'key-pairs') assert.match(r.stdout, /--endpoint URL .*EC2LITE_ENDPOINT/);
      }
    });
  }

  it('group help lists the subcommands; a missing or unknown subcommand is a usage error', async () => {
    for (const group of ['keyfile', 'key-pairs']) {
      const h = await cli([group, '--help']);
      assert.equal(h.code, 0);
      for (const [g, s] of COMMANDS) if (g === group) assert.match(h.stdout, new RegExp(`^ {2}${s} `, 'm'));
      const none = await cli([group]);
      assert.deepEqual([none.code, none.stdout], [2, '']);
      assert.equal(none.stderr, h.stdout);
      const bad = await cli([group, 'bogus']);
      assert.deepEqual([bad.code, bad.stderr], [2, `error: unknown command '${group} bogus'\nRun 'ec2lite ${group} --help' for usage.\n`]);
    }
  });

  it('still accepts the old names key (keyfile) and keys (key-pairs)', async () => {
    for (const [old, name] of [
      ['key', 'keyfile'],
      ['keys', 'key-pairs'],
    ] as const) {
      const viaOld = await cli([old, '--help']);
      assert.equal(viaOld.code, 0);
      assert.equal(viaOld.stdout, (await cli([name, '--help'])).stdout);
      assert.ok(viaOld.stdout.startsWith(`Usage: ec2lite ${name} <command>`), viaOld.stdout);
    }
    const dir = tempDir('ec2lite-cli-alias-');
    try {
      const key = sshKeygen(dir.path, 'k', 'ed25519').path;
      const r = await cli(['key', 'public', key]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), run('ssh-keygen', ['-y', '-f', key]).trim());
    } finally {
      dir.cleanup();
    }
    const top = await cli(['--help']);
    assert.match(top.stdout, /old names 'key' \(keyfile\) and\n'keys' \(key-pairs\) still work/);
  });

  it('an unknown top-level command is a usage error', async () => {
    const top = await cli(['bogus']);
    assert.equal(top.code, 2);
    assert.match(top.stderr, /^ec2lite: unknown command 'bogus'/);
  });

  it('unknown options and extra arguments exit 2 with a pointer to --help', async () => {
    const r = await cli(['keyfile', 'public', 'a', 'b']);
    assert.deepEqual([r.code, r.stderr], [2, "error: unexpected argument 'b'\nRun 'ec2lite keyfile public --help' for usage.\n"]);
    const o = await cli(['key-pairs', 'list', '--colour']);
    assert.equal(o.code, 2);
    assert.match(o.stderr, /^error: Unknown option '--colour'[\s\S]*Run 'ec2lite key-pairs list --help' for usage\.\n$/);
  });
});

describe('passphrase prompt on a terminal', () => {
  const dir = tempDir('ec2lite-cli-tty-');
  after(() => dir.cleanup());

  it('asks on the terminal without echoing the passphrase (run under script(1) for a pty)', async () => {
    const key = sshKeygen(dir.path, 'k', 'rsa', 2048).path;
    writeFileSync(dir.file('pass'), 'tty secret\n');
    const enc = dir.file('enc.ppk');
    run('puttygen', [key, '-o', enc, '--ppk-param', 'version=2', '--new-passphrase', dir.file('pass')]);
    writePrivate(enc, readFileSync(enc));
    const child = spawn('script', ['-qec', `${process.execPath} ${MAIN_JS} keyfile public ${enc}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir.path, TERM: 'dumb' },
    });
    let out = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Type only once the prompt is shown (raw mode is on by then).
      if (!typed && out.includes("Enter passphrase for '")) {
        typed = true;
        child.stdin.write('tty secret\r');
      }
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    assert.equal(code, 0, out);
    assert.ok(typed, out);
    assert.ok(out.includes(run('ssh-keygen', ['-y', '-f', key]).trim()), out);
    assert.ok(!out.includes('tty secret'), `the passphrase was echoed: ${out}`);
  });
});
