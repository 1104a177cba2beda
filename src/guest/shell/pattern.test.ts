// Globs, the ${v#p} family and brace expansion: bash's results, in linear time and bounded size.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BraceExpansionTooLarge, braceSize, expandBraces, matchPattern, removeAffix, replacePattern } from './pattern.js';
import { wildcardMatch } from '../../domain/filters.js';

describe('shell patterns', () => {
  it('removes the shortest and longest prefixes and suffixes as bash does', () => {
    const v = 'a/b/c.tar.gz';
    assert.equal(removeAffix(v, '*/', '#'), 'b/c.tar.gz');
    assert.equal(removeAffix(v, '*/', '##'), 'c.tar.gz');
    assert.equal(removeAffix(v, '.*', '%'), 'a/b/c.tar');
    assert.equal(removeAffix(v, '.*', '%%'), 'a/b/c');
    assert.equal(removeAffix(v, 'x*', '#'), v);
    assert.equal(replacePattern('hello world', 'o', '0', '//'), 'hell0 w0rld');
    assert.equal(replacePattern('hello world', 'l*o', 'X', '/'), 'heXrld'); // longest at the leftmost position
    assert.equal(replacePattern('aaa.txt', '*.', '', '/#'), 'txt');
    assert.equal(replacePattern('aaa.txt', '.*', '.md', '/%'), 'aaa.md');
  });

  it('matches a many-star pattern against a long value in one pass', () => {
    const value = 'a'.repeat(3000);
    assert.equal(matchPattern('*a*a*a*a*a*b', value), false);
    assert.equal(matchPattern('*a*a*a*a*a*', value), true);
    assert.equal(removeAffix(value, '*a*a*a*b', '#'), value);
    assert.equal(removeAffix(value + 'b', '*a*a*a*b', '%%'), '');
  });

  it('expands braces within a budget and fails past it as bash runs out of memory', () => {
    assert.deepEqual(expandBraces('a{b,c}{1..3}'), ['ab1', 'ab2', 'ab3', 'ac1', 'ac2', 'ac3']);
    assert.throws(() => expandBraces('{1..100}{1..100}{1..100}{1..10}', { left: 16 * 1024 * 1024 }), BraceExpansionTooLarge);
    assert.throws(() => expandBraces('{1..100000000}', { left: 16 * 1024 * 1024 }), BraceExpansionTooLarge);
    // counted before anything is made
    assert.equal(braceSize('{1..100}{1..100}{1..100}{1..10}').words, 10_000_000);
    assert.deepEqual(braceSize('a{b,c{1..3}}d'), { words: 4, chars: expandBraces('a{b,c{1..3}}d').join('').length });
  });
});

describe('API filter wildcards', () => {
  it('match * (any run) and ? (zero or one character), with backslash escapes', () => {
    assert.equal(wildcardMatch('key-*', 'key-1'), true);
    assert.equal(wildcardMatch('k?y', 'ky'), true);
    assert.equal(wildcardMatch('k?y', 'key'), true);
    assert.equal(wildcardMatch('k?y', 'keey'), false);
    assert.equal(wildcardMatch('a\\*b', 'a*b'), true);
    assert.equal(wildcardMatch('a\\*b', 'axb'), false);
    assert.equal(wildcardMatch('*', ''), true);
  });

  it('do not backtrack on many stars', () => {
    assert.equal(wildcardMatch('*a*a*a*a*a*a*a*a*b', 'a'.repeat(10_000)), false);
  });
});
