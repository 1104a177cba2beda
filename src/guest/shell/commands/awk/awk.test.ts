// The guest's awk: the language scripts use (patterns, fields, arrays,
// functions, built-ins, printf, getline, redirection) with outputs as GNU awk
// 5.2 prints them, and the sandbox: endless or memory-hungry programs end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootGuest, sampleMetadata } from '../../../../../test/helpers/guest.js';
import { MemoryVolumeStore } from '../../../fs/volume-store.js';
import { imageTemplate } from '../../../images.js';
import { InstanceGuest } from '../../../instance-guest.js';
import { formatNumber, sprintf } from './format.js';
import { AwkSyntaxError, parseAwk } from './parse.js';

describe('awk parsing', () => {
  it('tells a regex from a division and parses rules, ranges and functions', () => {
    const p = parseAwk('function f(a, b) { return a / b } /x\\/y/ { n = 4 / 2 / 1 } NR==1, NR==3 END { print n }');
    assert.equal(p.functions.get('f')!.params.length, 2);
    assert.deepEqual(p.rules.map((r) => r.kind), ['main', 'main', 'END']);
    assert.equal(p.rules[0]!.pattern!.k, 're');
    assert.ok(p.rules[1]!.pattern2);
  });

  it('reports syntax errors', () => {
    assert.throws(() => parseAwk('BEGIN { x = }'), AwkSyntaxError);
    assert.throws(() => parseAwk('{ print "unterminated }'), AwkSyntaxError);
  });
});

describe('awk formatting', () => {
  it('formats numbers as C printf does', () => {
    assert.equal(formatNumber('g', 0.0001234, 6), '0.0001234');
    assert.equal(formatNumber('g', 1e20, 6), '1e+20');
    assert.equal(formatNumber('e', 12345.678, 6), '1.234568e+04');
    const n = (v: unknown) => Number(v);
    const s = (v: unknown) => String(v);
    assert.equal(sprintf('%5.2f|%-5s|%05d|%x|%c|%+d|%.3s', [3.14159, 'ab', 42, 255, 65, 5, 'abcdef'], n, s), ' 3.14|ab   |00042|ff|A|+5|abc');
  });
});

describe('awk in the guest', async () => {
  const { guest } = await bootGuest();
  const run = async (cmd: string, stdin?: string) => {
    const r = await guest.exec('ec2-user', cmd, { stdin });
    assert.equal(r.stderr, '');
    return r.stdout;
  };

  it('runs patterns and actions over fields', async () => {
    assert.equal(await run(`awk '$2 > 2 { print $1, $2 * 2 }'`, 'a 1\nb 20\nc 3\n'), 'b 40\nc 6\n');
    assert.equal(await run(`awk -F: -v OFS=- '$3 >= 1000 { $2 = "Q"; print; print NF, NR }'`, 'root:x:0\nbob:x:1000\n'), 'bob-Q-1000\n3-2\n');
    assert.equal(await run(`awk 'NR==2, NR==3 { print "r" $0 } NR % 2 == 0 { next } { print "odd" $1 }'`, '1\n2\n3\n4\n'), 'odd1\nr2\nr3\nodd3\n');
    assert.equal(await run(`awk -F'[,;]' '{ print $2 $3 }'`, 'a,b;c\n'), 'bc\n');
  });

  it('keeps associative arrays, for-in and user functions', async () => {
    assert.equal(await run(`awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] | "sort"; close("sort"); print length(s) }'`, 'k1 5\nk2 7\nk1 3\n'), 'k1 8\nk2 7\n2\n');
    assert.equal(await run(`awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } function fill(a, n,  i) { for (i = 1; i <= n; i++) a[i] = i * i } BEGIN { print fact(10); fill(sq, 4); print sq[3], length(sq) }'`), '3628800\n9 4\n');
  });

  it('has the string built-ins', async () => {
    assert.equal(
      await run(`awk 'BEGIN { x = "hello world"; print length(x), substr(x, 1, 5), index(x, "wor"), toupper(x); n = split("a,b,,c", p, ","); print n, p[4]; s = "foo bar foo"; print gsub(/foo/, "[&]", s), s; if (match("xxabcabc", /(abc)+/)) print RSTART, RLENGTH; printf "%s=%d\\n", "n", 42 }'`),
      '11 hello 7 HELLO WORLD\n4 c\n2 [foo] bar [foo]\n3 6\nn=42\n',
    );
  });

  it('compares strings from input as numbers when they look like numbers', async () => {
    assert.equal(await run(`awk '$1 > 9 { print "num", $1 } $1 > "9" { print "str", $1 }'`, '10\n9\n'), 'num 10\n');
    assert.equal(await run(`awk 'BEGIN { print 1/3, 100000 * 100000, 0.1 + 0.2, 2^10, -7 % 3, int(-3.7), "3x" + 1 }'`), '0.333333 10000000000 0.3 1024 -1 -3 4\n');
  });

  it('reads with getline and writes files', async () => {
    assert.equal(await run(`awk 'BEGIN { "echo hi" | getline v; print v; getline; print "first:" $0 }'`, 'l1\nl2\n'), 'hi\nfirst:l1\n');
    assert.equal(await run(`awk '{ print > "/tmp/awk.out" } END { close("/tmp/awk.out"); while ((getline l < "/tmp/awk.out") > 0) print "read " l }'`, 'a\nb\n'), 'read a\nread b\n');
  });

  it('exits with exit n after running END, and fails on a missing file', async () => {
    const r = await guest.exec('ec2-user', `awk 'BEGIN { exit 3 } END { print "end" }'`);
    assert.equal(r.stdout, 'end\n');
    assert.equal(r.exitCode, 3);
    const missing = await guest.exec('ec2-user', 'awk 1 /nonexistent');
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /cannot open file `\/nonexistent' for reading: No such file or directory/);
  });

  it('ends endless and memory-hungry programs within the sandbox', async () => {
    const g = await InstanceGuest.start({
      instanceId: 'i-awk',
      image: imageTemplate('al2023'),
      rootVolume: { volumeId: 'vol-awk' },
      volumes: new MemoryVolumeStore(),
      metadata: sampleMetadata({ instanceId: 'i-awk' }),
      limits: { shell: { maxCpuMs: 50 } },
    });
    const loop = await g.exec('ec2-user', `awk 'BEGIN { while (1) {} }'`);
    assert.equal(loop.exitCode, 152);
    const deep = await guest.exec('ec2-user', `awk 'BEGIN { x = ${'('.repeat(5000)}1${')'.repeat(5000)}; print x }'`);
    assert.equal(deep.exitCode, 2);
    assert.match(deep.stderr, /too deeply nested/);
    const recursion = await guest.exec('ec2-user', `awk 'function f(n) { return f(n + 1) } BEGIN { f(0) }'`);
    assert.equal(recursion.exitCode, 2);
    assert.match(recursion.stderr, /function call nesting too deep/);
    const hoard = await guest.exec('ec2-user', `awk 'BEGIN { s = sprintf("%1000000s", ""); while (1) a[i++] = s i }'`);
    assert.equal(hoard.exitCode, 2);
    assert.match(hoard.stderr, /out of memory/);
    const frames = await guest.exec('ec2-user', `awk 'function f(n, s) { s = sprintf("%1000000s", n); return f(n + 1) } BEGIN { f(0) }'`);
    assert.equal(frames.exitCode, 2);
    assert.match(frames.stderr, /out of memory/);
    const grow = await guest.exec('ec2-user', `awk 'BEGIN { s = "0123456789"; while (1) s = s s }'`);
    assert.equal(grow.exitCode, 2);
    assert.match(grow.stderr, /string too long/);
  });
});
