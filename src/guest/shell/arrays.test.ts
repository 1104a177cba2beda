// bash arrays in the guest shell: indexed and associative arrays, their
// expansions ("${a[@]}" as separate words, like "$@"), declare/local/read -a,
// mapfile, unset of elements, arithmetic on elements and BASH_REMATCH.
// Expected outputs are what /bin/bash 5.2 prints for the same lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootGuest, sampleMetadata } from '../../../test/helpers/guest.js';
import { MemoryVolumeStore } from '../fs/volume-store.js';
import { imageTemplate } from '../images.js';
import { InstanceGuest } from '../instance-guest.js';
import { parse } from './parser.js';

describe('array syntax', () => {
  it('parses name=(…) with keyed elements, name[sub]=v and ${a[i]} / ${!a[@]}', () => {
    const c = parse('a=(x "y z" [5]=w) m[$k]+=v echo').items[0]!.command.first.commands[0]!;
    assert.equal(c.type, 'simple');
    if (c.type !== 'simple') return;
    assert.equal(c.assignments[0]!.array!.length, 3);
    assert.equal(c.assignments[1]!.name, 'm');
    assert.equal(c.assignments[1]!.append, true);
    assert.equal(c.assignments[1]!.index![0]!.kind, 'parameter');
    const w = parse('echo ${!a[@]} ${a[i+1]:-d}').items[0]!.command.first.commands[0]!;
    if (w.type !== 'simple') return assert.fail('simple command expected');
    const p1 = w.words[1]![0]!;
    const p2 = w.words[2]![0]!;
    assert.ok(p1.kind === 'parameter' && p1.indirect && p1.index);
    assert.ok(p2.kind === 'parameter' && p2.op === ':-' && p2.index);
  });

  it('refuses an array literal as an ordinary argument, as bash does', () => {
    assert.throws(() => parse('echo a=(1 2)'), /syntax error near unexpected token `\('/);
  });
});

describe('arrays in the guest shell', async () => {
  const { guest } = await bootGuest();
  const run = async (cmd: string, stdin?: string) => {
    const r = await guest.exec('ec2-user', cmd, { stdin });
    assert.equal(r.stderr, '');
    return r.stdout;
  };

  it('expands "${a[@]}" to one word per element and "${a[*]}" to one word', async () => {
    assert.equal(await run(`a=(x "y z" w); echo \${#a[@]} \${a[1]}; printf '<%s>' "\${a[@]}"; echo; printf '<%s>' \${a[@]}; echo; IFS=,; printf '<%s>' "\${a[*]}"`), '3 y z\n<x><y z><w>\n<x><y><z><w>\n<x,y z,w>');
    assert.equal(await run(`x=(a b); printf '[%s]' "pre\${x[@]}post"; for v in "\${empty[@]}"; do echo never; done; set -- "\${empty[@]}"; echo $#`), '[prea][bpost]0\n');
  });

  it('appends, assigns by index, unsets elements and counts from the end', async () => {
    assert.equal(await run(`a=(1 2 3); a+=(4 "5 6"); echo "\${#a[@]}" "\${!a[@]}"; a[7]=x; unset 'a[1]'; echo "\${!a[@]}"; echo "\${a[@]}" \${#a[@]} $a \${a[-1]}`), '5 0 1 2 3 4\n0 2 3 4 7\n1 3 4 5 6 x 5 1 x\n');
    assert.equal(await run('declare -a x=(1 2); x+=([5]=9 10); declare -p x'), 'declare -a x=([0]="1" [1]="2" [5]="9" [6]="10")\n');
  });

  it('keeps associative arrays with any key', async () => {
    assert.equal(await run('declare -A m; m[one]=1; k="t w o"; m[$k]=2; echo ${m[one]} "${m[$k]}" ${#m[@]}; for key in "${!m[@]}"; do echo "$key=${m[$key]}"; done | sort; unset \'m[one]\'; echo ${!m[@]}'), '1 2 2\none=1\nt w o=2\nt w o\n');
    assert.equal(await run('declare -A cfg=([host]=db [a b]=5432); echo "${cfg[host]}:${cfg[a b]}"'), 'db:5432\n');
  });

  it('applies operators to each element and slices', async () => {
    assert.equal(await run('a=(one two three); echo "${a[@]:1}" "${a[@]:0:2}" "${a[@]/o/0}" "${a[@]^^}" ${#a[1]}; i=2; echo ${a[i]} ${a[$i-1]}'), 'two three one two 0ne tw0 three ONE TWO THREE 3\nthree two\n');
    // a sparse array slices by index, as bash does
    assert.equal(await run('a=([1]=a [3]=b [7]=c); echo "${a[@]:2}|${a[@]:4:1}|${a[@]: -2}|${a[@]: -9}|"'), 'b c|c|c||\n');
  });

  it('evaluates elements in arithmetic', async () => {
    assert.equal(await run('a=(5 6); (( a[1]++ )); (( a[2] = a[0] * 2 )); echo ${a[@]} $(( a[0] + a[1] ))'), '5 7 10 12\n');
  });

  it('makes local arrays, read -a and mapfile fill arrays', async () => {
    assert.equal(await run('f() { local -a arr=("$@"); echo "${#arr[@]}:${arr[0]}"; }; f "a b" c; echo "[${arr[@]}]"'), '2:a b\n[]\n');
    assert.equal(await run('read -a p <<< "  a b   c  "; IFS=: read -ra q <<< "x:y::z"; echo ${#p[@]} ${p[2]} ${#q[@]}'), '3 c 4\n');
    assert.equal(await run('mapfile -t lines; echo ${#lines[@]} "${lines[1]}"', 'l1\nl2\nl3\n'), '3 l2\n');
    assert.equal(await run('readarray arr; printf %s "${arr[0]}"', 'l1\nl2\n'), 'l1\n');
  });

  it('resolves ${!v} through a name or an element', async () => {
    assert.equal(await run("v=USER; echo ${!v}; a=(p q); r='a[1]'; echo ${!r}"), 'ec2-user\nq\n');
    const r = await guest.exec('ec2-user', 'unset w; echo ${!w}; echo not reached');
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /w: invalid indirect expansion/);
  });

  it('fills BASH_REMATCH with the groups of [[ =~ ]] (parentheses unquoted)', async () => {
    assert.equal(await run('[[ "ver-1.2.3" =~ ^ver-([0-9]+)\\.([0-9]+)\\.([0-9]+)$ ]] && echo "${BASH_REMATCH[0]} ${BASH_REMATCH[1]} ${BASH_REMATCH[3]} ${#BASH_REMATCH[@]}"'), 'ver-1.2.3 1 3 4\n');
  });

  it('printf -v fills an element; mapfile takes -n and -s', async () => {
    assert.equal(await run("printf -v 'a[1]' '%s-%d' x 5; declare -A m; printf -v 'm[k]' '%s' y; echo ${a[1]} ${m[k]}"), 'x-5 y\n');
    assert.equal(await run('mapfile -t -n 2 first <<< $\'1\\n2\\n3\'; readarray -s 1 -t rest <<< $\'1\\n2\\n3\'; echo "${first[@]}|${rest[@]}"'), '1 2|2 3\n');
  });

  it('lists every bash option with set -o, ours with their state', async () => {
    const out = await run('set -e -o pipefail; set -o');
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 27);
    assert.ok(lines.includes('errexit        \ton'));
    assert.ok(lines.includes('pipefail       \ton'));
    assert.ok(lines.includes('braceexpand    \ton'));
    assert.ok(lines.includes('interactive-comments\ton'));
  });

  it('tests elements with [[ -v ]] and counts in (( )) after do', async () => {
    assert.equal(await run('declare -A c; for w in a b a; do (( c[$w]++ )); done; echo ${c[a]} ${c[b]}; [[ -v c[a] ]] && echo set; [[ -v c[z] ]] || echo unset; a=(1); [[ -v a[1] ]] || echo no-a1'), '2 1\nset\nunset\nno-a1\n');
  });

  it('transforms with ${v@Q}, @E, @U, @L, @u and @a', async () => {
    assert.equal(await run(`a=(x "y z" "it's"); declare -A m; s=$'a\\tb'; echo "\${a[@]@Q}|\${s@Q}|\${a[1]@U}|\${a[0]@u}|\${a@a}|\${m@a}|\${unset@Q}"; e='x\\ty'; echo "\${e@E}"`), "'x' 'y z' 'it'\\''s'|$'a\\tb'|Y Z|X|a|A|\nx\ty\n");
  });

  it('appends in place and bounds an array that grows without end', async () => {
    assert.equal(await run('a=([5]=x y [2]=z w); a+=(v); unset "a[6]"; a+=(q); echo ${!a[@]}; b=(); for ((i=0;i<5000;i++)); do b+=("$i"); done; echo ${#b[@]} ${b[-1]}'), '2 3 5 7 8\n5000 4999\n');
    const g = await InstanceGuest.start({
      instanceId: 'i-arrays',
      image: imageTemplate('al2023'),
      rootVolume: { volumeId: 'vol-arrays' },
      volumes: new MemoryVolumeStore(),
      metadata: sampleMetadata({ instanceId: 'i-arrays' }),
      limits: { shell: { maxShellMemoryBytes: 256 * 1024 } },
    });
    const r = await g.exec('ec2-user', 'a=(); while :; do a+=(0123456789012345678901234567890123456789); done; echo never');
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /xmalloc: cannot allocate/);
  });

  it('reports an unbound element under set -u', async () => {
    const r = await guest.exec('ec2-user', 'set -u; a=(1); echo ${a[5]}; echo after');
    assert.equal(r.exitCode, 127);
    assert.match(r.stderr, /a\[5\]: unbound variable/);
  });
});
