import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CredentialsFile,
  CredentialsFileError,
  generateAccountId,
  generateCredential,
  parseCredentials,
  permissionWarning,
  readCredentials,
  writeCredentials,
} from './credentials-file.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ec2lite-creds-'));
const good = { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 's3cr3t/+x', accountId: '111122223333' };

test('generated credentials look like AWS keys', () => {
  const c = generateCredential('123456789012', 'ci');
  assert.match(c.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.match(c.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  assert.equal(c.accountId, '123456789012');
  assert.equal(c.name, 'ci');
  assert.notEqual(generateCredential('123456789012').accessKeyId, c.accessKeyId);
  assert.match(generateAccountId(), /^\d{12}$/);
});

test('write then read round-trips, creates the directory, mode 0600, no temp files left', () => {
  const dir = tmp();
  const path = join(dir, 'sub', 'credentials.json');
  writeCredentials(path, [good, { ...good, accessKeyId: 'B', name: 'bob', sessionToken: 'tok' }]);
  assert.deepEqual(readCredentials(path), [good, { ...good, accessKeyId: 'B', name: 'bob', sessionToken: 'tok' }]);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['credentials.json']);
  assert.equal(permissionWarning(path), undefined);
  chmodSync(path, 0o644);
  assert.match(permissionWarning(path)!, /chmod 600/);
});

test('a missing file reads as empty', () => {
  assert.deepEqual(readCredentials(join(tmp(), 'none.json')), []);
});

test('validation errors name the entry and the field', () => {
  const bad = (value: unknown, re: RegExp) => assert.throws(() => parseCredentials(JSON.stringify(value), 'f.json'), (e: unknown) => e instanceof CredentialsFileError && re.test(e.message));
  assert.throws(() => parseCredentials('{', 'f.json'), /f\.json: not valid JSON/);
  // The parser's message must not echo file contents (secrets) back.
  assert.throws(() => parseCredentials('[{"secretAccessKey": "TOPSECRET" oops}]', 'f.json'), (e: unknown) => e instanceof Error && !e.message.includes('TOPSECRET'));
  bad({}, /expected a JSON array/);
  bad([1], /entry 0: expected an object/);
  bad([{ ...good, accountId: '123' }], /entry 0: "accountId" must be 12 digits/);
  bad([{ ...good, secretAccessKey: '' }], /"secretAccessKey" must be a non-empty string/);
  bad([{ ...good, accessKeyId: 'AK/ID' }], /"accessKeyId" must be 1-128/);
  bad([good, good], /entry 1: duplicate accessKeyId/);
  bad([{ ...good, secret: 'x' }], /unknown field "secret"/);
  bad([{ ...good, name: 3 }], /"name" must be a non-empty string/);
});

test('CredentialsFile looks keys up and picks up changes to the file', () => {
  const path = join(tmp(), 'c.json');
  writeCredentials(path, [good]);
  let now = 0;
  const file = new CredentialsFile(path, () => now);
  assert.equal(file.find(good.accessKeyId)?.accountId, '111122223333');
  assert.equal(file.find('OTHER'), undefined);
  writeCredentials(path, [good, { ...good, accessKeyId: 'OTHER', accountId: '999988887777' }]);
  utimesSync(path, new Date(), new Date(Date.now() + 5000)); // make sure the mtime moves on coarse clocks
  assert.equal(file.find('OTHER'), undefined, 'not re-checked within a second');
  now = 1000;
  assert.equal(file.find('OTHER')?.accountId, '999988887777');
  writeFileSync(path, 'not json');
  utimesSync(path, new Date(), new Date(Date.now() + 10000));
  now = 2000;
  assert.equal(file.find('OTHER')?.accountId, '999988887777', 'a broken edit keeps the last good keys');
});

test('CredentialsFile refuses to start without a file, with a hint', () => {
  assert.throws(() => new CredentialsFile(join(tmp(), 'missing.json')), /no such file; create it with: ec2lite credentials add/);
});

test('the file never contains anything but the JSON array', () => {
  const path = join(tmp(), 'c.json');
  writeCredentials(path, [good]);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), [good]);
});
