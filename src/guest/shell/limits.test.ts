// Availability limits of the simulated shell (issue 19): every step a tenant can start is linear
// or bounded, and the CPU budget charges long synchronous steps too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleMetadata } from '../../../test/helpers/guest.js';
import { MemoryVolumeStore } from '../fs/volume-store.js';
import { imageTemplate } from '../images.js';
import { InstanceGuest } from '../instance-guest.js';
import { chargeableMs } from './run.js';

async function guest(id: string, shell: Record<string, number> = {}) {
  const g = await InstanceGuest.start({
    instanceId: id,
    image: imageTemplate('al2023'),
    rootVolume: { volumeId: `vol-${id}` },
    volumes: new MemoryVolumeStore(),
    metadata: sampleMetadata({ instanceId: id }),
    limits: { shell },
  });
  await g.cloudInit;
  return g;
}

describe('shell availability limits', () => {
  it('charges a long synchronous step in full unless the event loop turned during it', () => {
    const limits = { sliceMs: 2 };
    assert.equal(chargeableMs(1000, 25_000, limits, 900), 24_000); // no beat: one 24 s step
    assert.equal(chargeableMs(1000, 25_000, limits, 24_900), 80); // a wait, then 100 ms of work
    assert.equal(chargeableMs(1000, 1030, limits, 900), 30); // short gaps are work
  });

  it('runs backtracking-killer regexes through grep, sed, awk, expr and [[ =~ ]] to their normal result', async () => {
    const g = await guest('i-regex');
    const line = 'a'.repeat(5000) + '!';
    const r = await g.exec('ec2-user', [
      `x=${line}`,
      `echo "$x" | grep -cE '^(a+)+$'`,
      `echo "$x" | grep -c '^\\(a*\\)*$'`,
      `echo "$x" | sed -E 's/(a|aa)+$/X/' | wc -c`,
      `echo "$x" | awk '/^(a|a)*b/ { n++ } END { print n + 0 }'`,
      `expr "$x" : '\\(a*a*a*a*a*b\\)'`,
      `[[ $x =~ ^(a+)+b$ ]]; echo $?`,
      `[[ $x == *a*a*a*a*a*b ]]; echo $?`,
      `echo "\${x##*a*a*a*a*b}" | wc -c`,
    ].join('\n'));
    assert.equal(r.stdout, ['0', '0', '5002', '0', '', '1', '1', '5002', ''].join('\n'));
  });

  it('trims and number tests stay linear on long runs (read, $(…), awk fields)', async () => {
    const g = await guest('i-runs');
    const r = await g.exec('ec2-user', [
      `d=$(printf '1%.0s' {1..40000})x; echo "$d" | awk '{ print ($1 == $1 + 0) }'`,
      `s=$(printf ' %.0s' {1..40000}); read -r v <<< "a$s b"; echo \${#v}`,
      `n=$(printf 'x'; printf '\n%.0s' {1..40000}; printf 'y'); echo \${#n}`,
    ].join('\n'));
    assert.equal(r.stdout, '0\n40003\n40002\n', r.stderr);
  });

  it('matches patterns of any length: a 30,000-bracket glob, a 30,000-character literal regex', async () => {
    const g = await guest('i-long-pattern');
    const r = await g.exec('ec2-user', [
      `p=$(printf '[ab]%.0s' {1..30000}); [[ x == $p ]]; echo $?`,
      `v=$(printf 'a%.0s' {1..30000}); [[ $v == $p ]]; echo $?`,
      `echo "x$v" | grep -c "$v"`,
    ].join('\n'));
    assert.equal(r.stdout, '1\n0\n1\n', r.stderr);
  });

  it('refuses a back-reference pattern past its step budget with a message, not a stall', async () => {
    const g = await guest('i-backref');
    const ok = await g.exec('ec2-user', `echo abab | grep -c '\\(ab\\)\\1'; echo abcabc | sed 's/\\(abc\\)\\1/[\\1]/'`);
    assert.equal(ok.stdout, '1\n[abc]\n');
    const r = await g.exec('ec2-user', `printf '%s\\n' ${'a'.repeat(60)} | grep '^\\(a*\\)*\\1b$'; echo "status $?"`);
    assert.match(r.stderr, /grep: regular expression too complex for this input/);
    assert.match(r.stdout, /status 2/);
  });

  it('fails a brace expansion past its budget as bash fails to allocate, and the session goes on', async () => {
    const g = await guest('i-brace');
    const r = await g.exec('ec2-user', 'echo {1..100}{1..100}{1..100}{1..10} | wc -c');
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /xmalloc: cannot allocate/);
    const small = await g.exec('ec2-user', 'echo {1..3}{a,b} | wc -w');
    assert.equal(small.stdout, '6\n');
  });

  it('refuses a script larger than maxScriptBytes before parsing it', async () => {
    const g = await guest('i-script', { maxScriptBytes: 4096 });
    const big = 'echo hi\n'.repeat(1000);
    const r = await g.exec('ec2-user', big);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /xmalloc: cannot allocate 8001 bytes/);
    const evalBig = await g.exec('ec2-user', `s=$(printf 'echo hi\\n%.0s' {1..1000}); eval "$s"; echo "after $?"`);
    assert.match(evalBig.stderr, /xmalloc/);
  });
});
