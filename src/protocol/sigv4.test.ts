import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalHeaderValue,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatAmzDate,
  parseAmzDate,
  parseQuery,
  signaturesEqual,
  signingKey,
  stringToSign,
  uriEncode,
} from './sigv4.js';

test('uriEncode leaves only A-Za-z0-9-_.~ unescaped', () => {
  assert.equal(uriEncode("a b~*'()!/+=é"), 'a%20b~%2A%27%28%29%21%2F%2B%3D%C3%A9');
  assert.equal(uriEncode('AZaz09-_.~'), 'AZaz09-_.~');
});

test('canonical query: decoded then re-encoded, sorted by name then value', () => {
  const pairs = parseQuery('b=2&a=z&a=y&c&Filter.1.Name=tag%3AOwner&sp=a+b%20c');
  assert.equal(canonicalQuery(pairs, false), 'Filter.1.Name=tag%3AOwner&a=y&a=z&b=2&c=&sp=a%2Bb%20c');
});

test('canonical query of a presigned request drops X-Amz-Signature only', () => {
  const pairs = parseQuery('X-Amz-Signature=abc&X-Amz-Date=20240102T030405Z&Action=DescribeKeyPairs');
  assert.equal(canonicalQuery(pairs, true), 'Action=DescribeKeyPairs&X-Amz-Date=20240102T030405Z');
  assert.equal(canonicalQuery(pairs, false), 'Action=DescribeKeyPairs&X-Amz-Date=20240102T030405Z&X-Amz-Signature=abc');
});

test('canonical header values are trimmed, runs of whitespace collapsed, repeats joined by commas', () => {
  assert.equal(canonicalHeaderValue(['  a   b \t c  ']), 'a b c');
  assert.equal(canonicalHeaderValue(['x', ' y ']), 'x,y');
});

test('canonical URI normalises and encodes each segment once', () => {
  assert.equal(canonicalUri('/'), '/');
  assert.equal(canonicalUri(''), '/');
  assert.equal(canonicalUri('/a/./b/../c%20d/'), '/a/c%20d/');
});

test('signing key matches the AWS documentation example', () => {
  // docs.aws.amazon.com "Derive a signing key for Signature Version 4" (20150830/us-east-1/iam).
  const key = signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam');
  assert.equal(key.toString('hex'), 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
});

test('canonical request and string to sign have the documented layout', () => {
  const cr = canonicalRequest({
    method: 'GET',
    uri: '/',
    query: 'Action=ListUsers&Version=2010-05-08',
    headers: [
      ['content-type', 'application/x-www-form-urlencoded; charset=utf-8'],
      ['host', 'iam.amazonaws.com'],
      ['x-amz-date', '20150830T123600Z'],
    ],
    payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  });
  assert.equal(
    cr,
    'GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  // The hash of this canonical request is the one AWS's documentation walks through.
  assert.equal(
    stringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', cr),
    'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
  );
});

test('signatures are compared in constant time and by exact value', () => {
  assert.equal(signaturesEqual('abcd', 'abcd'), true);
  assert.equal(signaturesEqual('abcd', 'abce'), false);
  assert.equal(signaturesEqual('abcd', 'abc'), false);
});

test('amz dates: basic format only, no rollovers', () => {
  assert.equal(parseAmzDate('20240102T030405Z')?.toISOString(), '2024-01-02T03:04:05.000Z');
  assert.equal(parseAmzDate('2024-01-02T03:04:05Z'), undefined);
  assert.equal(parseAmzDate('20241302T030405Z'), undefined);
  assert.equal(parseAmzDate('20240102T250405Z'), undefined);
  assert.equal(formatAmzDate(new Date('2024-01-02T03:04:05.678Z')), '20240102T030405Z');
});
