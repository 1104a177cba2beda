// Unit tests of the shell's parts: parser shapes, arithmetic, patterns, IFS
// splitting, and the interpreter over a booted guest (no SSH).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootGuest, sampleMetadata } from '../../../test/helpers/guest.js';
import { MemoryVolumeStore } from '../fs/volume-store.js';
import { imageTemplate } from '../images.js';
import { InstanceGuest } from '../instance-guest.js';
import { ArithError, evaluate } from './arith.js';
import { splitIfs } from './expand.js';
import { COMMANDS } from './commands/index.js';
import { Shell, newProc } from './interpreter.js';
import { needsMoreInput, parse, parseScript } from './parser.js';
import { Input, NULL_SINK } from './streams.js';
import type { Command } from './types.js';
import { expandBraces, matchPattern, removeAffix, replacePattern } from './pattern.js';

const vars = (init: Record<string, string> = {}) => {
  const m = new Map(Object.entries(init));
  return { get: (n: string) => m.get(n), set: (n: string, v: string) => void m.set(n, v), m };
};

describe('parser', () => {
  it('recognises reserved words only where a command starts', () => {
    const s = parse('echo if then fi; for x in a b; do echo $x; done');
    const first = s.items[0]!.command.first.commands[0]!;
    assert.equal(first.type, 'simple');
    assert.equal(first.type === 'simple' && first.words.length, 4);
    assert.equal(s.items[1]!.command.first.commands[0]!.type, 'for');
  });

  it('parses case, functions, [[ ]], (( )), subshells and groups', () => {
    const kinds = (src: string) => parse(src).items.map((i) => i.command.first.commands[0]!.type);
    assert.deepEqual(kinds('case $a in x|y) :;; *) ;; esac'), ['case']);
    assert.deepEqual(kinds('f() { :; }; function g { :; }'), ['function', 'function']);
    assert.deepEqual(kinds('[[ -n $x && $y == z* ]]; (( i++ )); ( : ); { :; }'), ['cond', 'arith', 'subshell', 'group']);
    assert.deepEqual(kinds('for ((i=0;i<3;i++)); do :; done; until false; do :; done'), ['arith-for', 'until']);
  });

  it('keeps the commands before a syntax error, with the error and its line', () => {
    const r = parseScript('echo one\necho two\nif; then\n');
    assert.equal(r.commands.length, 2);
    assert.equal(r.error?.message, "syntax error near unexpected token `;'");
    assert.equal(r.error?.line, 3);
  });

  it('reads parameter expansions with their operators', () => {
    const w = parse('echo ${v:-a b} ${#v} ${v%%.*} ${v//x/y} ${v:1:2}').items[0]!.command.first.commands[0]!;
    assert.equal(w.type, 'simple');
    const ops = w.type === 'simple' ? w.words.slice(1).map((x) => (x[0]!.kind === 'parameter' ? x[0]!.op : '?')) : [];
    assert.deepEqual(ops, [':-', 'length', '%%', '//', 'substring']);
    assert.throws(() => parse('echo ${v!}'), /bad substitution/);
  });

  it('asks for more input inside unfinished constructs', () => {
    assert.equal(needsMoreInput('if true; then'), true);
    assert.equal(needsMoreInput('for i in 1 2; do echo $i'), true);
    assert.equal(needsMoreInput('f() {'), true);
    assert.equal(needsMoreInput('case x in'), true);
    assert.equal(needsMoreInput('if true; then :; fi'), false);
    assert.equal(needsMoreInput('echo "$(date'), true);
  });
});

describe('arithmetic', () => {
  it('has C precedence, assignments and 64-bit wrap-around', () => {
    const v = vars({ x: '5' });
    assert.equal(evaluate('1 + 2 * 3 ** 2', v), 19n);
    assert.equal(evaluate('x += 2, x * 2', v), 14n);
    assert.equal(v.m.get('x'), '7');
    assert.equal(evaluate('x++ + ++x', v), 16n);
    assert.equal(evaluate('9223372036854775807 + 1', v), -9223372036854775808n);
    assert.equal(evaluate('0x10 + 010 + 2#101', v), 29n);
    assert.equal(evaluate('1 ? 2 : 3', v), 2n);
    assert.equal(evaluate('0 && (y = 1)', v), 0n);
    assert.equal(v.m.get('y'), undefined);
  });

  it("reports division by zero as bash does", () => {
    assert.throws(() => evaluate('1 / 0', vars()), (e) => e instanceof ArithError && /division by 0/.test(e.message));
  });
});

describe('patterns and splitting', () => {
  it('matches globs and removes prefixes and suffixes', () => {
    assert.equal(matchPattern('*.tar.*', 'a.tar.gz'), true);
    assert.equal(matchPattern('[!a]?', 'bc'), true);
    assert.equal(matchPattern('*', 'a/b', true), false);
    assert.equal(removeAffix('a/b/c', '*/', '#'), 'b/c');
    assert.equal(removeAffix('a/b/c', '*/', '##'), 'c');
    assert.equal(removeAffix('x.tar.gz', '.*', '%'), 'x.tar');
    assert.equal(removeAffix('x.tar.gz', '.*', '%%'), 'x');
    assert.equal(replacePattern('aXbXc', 'X', '-', '//'), 'a-b-c');
    assert.deepEqual(expandBraces('f{a,b}{1..2}'), ['fa1', 'fa2', 'fb1', 'fb2']);
  });

  it('splits on IFS', () => {
    assert.deepEqual(splitIfs(' a  b ', ' \t\n'), ['', 'a', 'b', '']);
    assert.deepEqual(splitIfs('a:b', ':'), ['a', 'b']);
    assert.deepEqual(splitIfs('a b', ''), ['a b']);
  });
});

describe('interpreter', async () => {
  const { guest } = await bootGuest();
  const run = (cmd: string, stdin?: string) => guest.exec('ec2-user', cmd, { stdin });

  it('keeps functions and variables of the top shell, and not of subshells', async () => {
    const r = await run('x=1; (x=2; y=3); f() { echo "$x${y:-none}"; }; f; echo $(x=9; echo $x) $x');
    assert.equal(r.stdout, '1none\n9 1\n');
  });

  it('runs pipeline stages concurrently (a reader that quits stops the writer)', async () => {
    const r = await run('yes | head -2; seq 100000 | head -1; set -o pipefail; yes | head -1; echo $?');
    assert.equal(r.stdout, 'y\ny\n1\ny\n141\n');
  });

  it('streams endless devices through tr and head (the password-generator idiom ends)', async () => {
    const r = await run("tr -dc 'a-z0-9' < /dev/urandom | head -c 24; echo; head -c 3 < /dev/zero | wc -c");
    assert.match(r.stdout, /^[a-z0-9]{24}\n3\n$/);
  });

  it('reads stdin on demand: read leaves the rest for the next command', async () => {
    const r = await run('read -r first; cat', 'one\ntwo\nthree\n');
    assert.equal(r.stdout, 'two\nthree\n');
  });

  it('applies set -e with the exceptions bash makes', async () => {
    const r = await run('set -e; if false; then :; fi; false && true; ! true; false || true; echo alive; false; echo dead');
    assert.equal(r.stdout, 'alive\n');
    assert.equal(r.exitCode, 1);
  });

  it('runs the EXIT trap on exit and on errexit', async () => {
    assert.equal((await run('trap "echo trap \\$?" EXIT; exit 4')).stdout, 'trap 4\n');
    assert.equal((await run('set -e; trap "echo cleanup" EXIT; false')).stdout, 'cleanup\n');
  });

  it('runs a script through runScript with env, cwd, $0 and arguments', async () => {
    const r = await guest.runScript({ user: 'root', script: 'echo "$0 $1 $FOO $(pwd) $(whoami)"; nosuch', name: 'part-001', args: ['a1'], env: { FOO: 'bar' }, cwd: '/tmp' });
    assert.equal(r.stdout, 'part-001 a1 bar /tmp root\n');
    assert.equal(r.stderr, 'part-001: line 1: nosuch: command not found\n');
    assert.equal(r.exitCode, 127);
  });

  it('runScript honours the #! line: the shell options, and a missing interpreter', async () => {
    const e = await guest.runScript({ user: 'root', script: '#!/bin/bash -ex\necho one\nfalse\necho two\n' });
    assert.equal(e.stdout, 'one\n');
    assert.equal(e.stderr, '+ echo one\n+ false\n');
    assert.equal(e.exitCode, 1);
    const env = await guest.runScript({ user: 'root', script: '#!/usr/bin/env bash\necho via-env\n' });
    assert.equal(env.stdout, 'via-env\n');
    const perl = await guest.runScript({ user: 'root', name: 'part-002', script: '#!/usr/bin/perl\nprint 1;\n' });
    assert.equal(perl.exitCode, 126);
    assert.equal(perl.stderr, 'part-002: /usr/bin/perl: bad interpreter: No such file or directory\n');
    // python3 is on the real image: it says it cannot run on a simulated instance
    const py = await guest.runScript({ user: 'root', name: 'part-002', script: '#!/usr/bin/python3\nprint(1)\n' });
    assert.equal(py.exitCode, 127);
    assert.match(py.stderr, /^python3: cannot run on this simulated instance .*real-instance guest engine.*\n$/);
  });

  it('yields to the event loop while a guest loops (setImmediate callbacks run between two commands of a loop)', async () => {
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const seen: number[] = [];
    const probe: Command = (ctx) => {
      seen.push(turns);
      ctx.io.out.write('');
      return 0;
    };
    const user = guest.users.user('ec2-user')!;
    const shell = new Shell({
      sys: guest.system,
      proc: newProc(guest.system, user, { login: true }),
      io: { input: Input.empty(), out: NULL_SINK, err: NULL_SINK, tty: false },
      interactive: false,
      commands: { ...COMMANDS, probe },
    });
    for (const loop of [
      'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done',
      'seq 3000 | while read -r l; do :; done',
      'i=0; while [ $i -lt 3000 ]; do echo x; i=$((i+1)); done | cat >/dev/null',
    ]) {
      seen.length = 0;
      await shell.run(`probe; ${loop}; probe`);
      assert.equal(seen.length, 2);
      assert.ok(seen[1]! > seen[0]!, `no event-loop turn during: ${loop}`);
    }
    spinning = false;
  });

  it('runs cmd & concurrently, wait collects it, and the end of the session ends leftover jobs', async () => {
    assert.equal((await run('(sleep 0.05; echo bg) & echo fg; wait; echo done')).stdout, 'fg\nbg\ndone\n');
    await run('rm -f /tmp/bg; while true; do echo x >> /tmp/bg; sleep 0.01; done & sleep 0.05');
    const size = async () => (await run('wc -c < /tmp/bg')).stdout;
    const first = await size();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await size(), first);
  });

  it('timeout kills its command (and only it) with status 124', async () => {
    const r = await run('timeout 0.2 bash -c "while :; do :; done"; echo "loop=$?"; timeout 0.1 sleep 5; echo "sleep=$?"; timeout 5 echo fine');
    assert.equal(r.stdout, 'loop=124\nsleep=124\nfine\n');
  });

  it('a loop writing into a pipe waits for its reader and stops when the reader quits', async () => {
    const r = await run('n=0; while true; do n=$((n+1)); echo $n; done | head -3; echo after');
    assert.equal(r.stdout, '1\n2\n3\nafter\n');
  });

  it('kills a loop past its CPU budget with SIGXCPU status', async () => {
    const g = await InstanceGuest.start({
      instanceId: 'i-cpu',
      image: imageTemplate('al2023'),
      rootVolume: { volumeId: 'vol-cpu' },
      volumes: new MemoryVolumeStore(),
      metadata: sampleMetadata({ instanceId: 'i-cpu' }),
      limits: { shell: { maxCpuMs: 50 } },
    });
    const r = await g.exec('ec2-user', 'while :; do :; done');
    assert.equal(r.exitCode, 152);
    assert.match(r.stderr, /CPU time limit exceeded/);
  });
});
