// The linear-time engine agrees with JavaScript's RegExp on the syntax the guest's translators
// produce, and stays linear where a backtracking engine explodes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LinearRegExp, RegexBudgetError, RegexSyntaxError } from './index.js';

/** A tiny deterministic generator so failures reproduce. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

function randomPattern(r: (n: number) => number, depth = 0): string {
  const atoms = ['a', 'b', 'c', '.', '[ab]', '[^a]', '\\w', '\\d', '1', 'x'];
  const parts: string[] = [];
  const len = 1 + r(4);
  for (let k = 0; k < len; k++) {
    let atom = depth < 2 && r(4) === 0 ? `(${randomPattern(r, depth + 1)}${r(2) ? '|' + randomPattern(r, depth + 1) : ''})` : atoms[r(atoms.length)]!;
    const q = r(9);
    if (q === 0) atom += '*';
    else if (q === 1) atom += '+';
    else if (q === 2) atom += '?';
    else if (q === 3) atom += `{${r(3)},${2 + r(2)}}`;
    parts.push(atom);
  }
  if (depth === 0 && r(5) === 0) parts.unshift('^');
  if (depth === 0 && r(5) === 0) parts.push('$');
  return parts.join('');
}

describe('LinearRegExp', () => {
  it('finds the same matches and groups as RegExp on random patterns', () => {
    const r = rng(19);
    const alphabet = 'abcx1 ';
    for (let n = 0; n < 3000; n++) {
      const src = randomPattern(r);
      let text = '';
      for (let k = r(12); k > 0; k--) text += alphabet[r(alphabet.length)];
      const flags = r(4) === 0 ? 'i' : '';
      const want = new RegExp(src, flags).exec(text);
      const got = new LinearRegExp(src, flags).exec(text);
      // The overall match and where it starts. (Groups inside a quantifier that matched the empty
      // string can differ: ECMAScript refuses an empty iteration, this engine does not.)
      assert.deepEqual(got ? [got.index, got[0]] : null, want ? [want.index, want[0]] : null, `/${src}/${flags} on ${JSON.stringify(text)}`);
      // test() takes the lazy DFA: the same answer as the VM and as RegExp
      assert.equal(new LinearRegExp(src, flags).test(text), want !== null, `test /${src}/${flags} on ${JSON.stringify(text)}`);
    }
  });

  it('reports groups as RegExp does', () => {
    for (const [src, text] of [['(a)(b)?(c)', 'xac'], ['(\\w+)=(\\w*)', 'k=v; x='], ['(x)|(y)', 'y']] as const) {
      assert.deepEqual([...new LinearRegExp(src).exec(text)!], [...new RegExp(src).exec(text)!], src);
    }
  });

  it('keeps an inner group from an earlier iteration (POSIX), where ECMAScript resets it', () => {
    assert.deepEqual([...new LinearRegExp('((a)|b)+').exec('ab')!], ['ab', 'b', 'a']);
  });

  it('replaces, splits and iterates like RegExp', () => {
    const cases: [string, string, string][] = [['a+', 'g', 'baaacaa'], ['x*', 'g', 'abc'], ['(b)(c)?', 'g', 'abcab'], ['\\s+', '', ' a  b ']];
    for (const [src, flags, text] of cases) {
      assert.equal(text.replace(new LinearRegExp(src, flags), '[$&|$1]'), text.replace(new RegExp(src, flags), '[$&|$1]'));
      assert.deepEqual(text.split(new LinearRegExp(src, flags)), text.split(new RegExp(src, flags)));
      assert.deepEqual([...new LinearRegExp(src, 'g').matchAll(text)].map((m) => [m.index, m[0]]), [...text.matchAll(new RegExp(src, 'g'))].map((m) => [m.index, m[0]]));
    }
  });

  it('answers test() on a megabyte in one pass of the lazy DFA', () => {
    const text = 'ab'.repeat(500_000);
    assert.equal(new LinearRegExp('(a|b)*c').test(text), false);
    assert.equal(new LinearRegExp('(ab|ba)+$').test(text), true);
    assert.equal(new LinearRegExp('^b').test(text), false);
    assert.equal(new LinearRegExp('^$').test(''), true);
  });

  it('reports the POSIX leftmost-longest match with the L flag', () => {
    assert.equal(new LinearRegExp('a|ab').exec('xab')![0], 'a');
    assert.equal(new LinearRegExp('a|ab', 'L').exec('xab')![0], 'ab');
    assert.equal(new LinearRegExp('(a|ab)(c|bcd)', 'L').exec('abcd')![0], 'abcd');
  });

  it('supports one-character lookaround (grep -w) and word boundaries', () => {
    const w = new LinearRegExp('(?<![A-Za-z0-9_])(?:foo)(?![A-Za-z0-9_])');
    assert.equal(w.test('a foo b'), true);
    assert.equal(w.test('afoo b'), false);
    assert.equal(w.test('foob'), false);
    assert.equal(new LinearRegExp('\\bis\\b').exec('this is')!.index, 5);
    assert.throws(() => new LinearRegExp('(?=ab)'), RegexSyntaxError);
  });

  it('matches a catastrophic pattern in linear time, where RegExp would take hours', () => {
    // (a+)+b and (a|aa)*c on 5,000 a's: exponential for a backtracker; one pass here.
    const text = 'a'.repeat(5000);
    assert.equal(new LinearRegExp('(a+)+b').test(text), false);
    assert.equal(new LinearRegExp('^(a|aa)*c$').test(text), false);
    assert.equal(new LinearRegExp('(x+x+)+y').test('x'.repeat(5000)), false);
    assert.equal(new LinearRegExp('(.*a){20}').test('a'.repeat(3000)), true);
  });

  it('bounds a global replace whose every short match scans to the end of a long subject', () => {
    // each of 20,000 matches of `a` keeps the `a.*b` thread running to the end: quadratic (as in RE2)
    assert.throws(() => 'a'.repeat(20_000).replace(new LinearRegExp('a|a.*b', 'gL'), 'X'), RegexBudgetError);
    // the same on a shorter subject, and an ordinary global replace on a long one, are fine
    assert.equal('a'.repeat(500).replace(new LinearRegExp('a|a.*b', 'gL'), 'X'), 'X'.repeat(500));
    assert.equal('ab'.repeat(200_000).replace(new LinearRegExp('b+', 'g'), '').length, 200_000);
  });

  it('refuses patterns too big rather than unrolling them without bound', () => {
    assert.throws(() => new LinearRegExp('a{1001}'), /repeat count above 1000/);
    assert.throws(() => new LinearRegExp('((a{1000}){1000}){1000}'), /too big/);
  });

  it('runs back-references by a bounded backtracker and gives up with RegexBudgetError', () => {
    assert.deepEqual([...new LinearRegExp('(a+)b\\1').exec('xaabaa')!], ['aabaa', 'aa']);
    assert.equal(new LinearRegExp('^(a+)\\1$').test('aaaa'), true);
    assert.equal(new LinearRegExp('^(a+)\\1$').test('aaa'), false);
    assert.throws(() => new LinearRegExp('^(a*)*\\1b$').test('a'.repeat(40)), RegexBudgetError);
  });
});
