import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as ec2lite } from './cli-harness.js';

const cli = (...argv: string[]) => ec2lite(['credentials', ...argv]);

test('add prints the secret once; list shows ids, accounts, names but never secrets; remove deletes', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ec2lite-cli-')), 'dir', 'creds.json');
  const added = await cli('add', '--name', 'alice', '--account', '111122223333', '--file', file);
  assert.equal(added.code, 0, added.stderr);
  const id = /aws_access_key_id = (AKIA[A-Z0-9]{16})/.exec(added.stdout)?.[1];
  const secret = /aws_secret_access_key = (\S{40})/.exec(added.stdout)?.[1];
  assert.ok(id && secret, added.stdout);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), [{ accessKeyId: id, secretAccessKey: secret, accountId: '111122223333', name: 'alice' }]);

  const second = await cli('add', '--file', file);
  assert.equal(second.code, 0);
  assert.match(second.stdout, /for account \d{12} to /);

  const listed = await cli('list', '--file', file);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, new RegExp(`${id}\\s+111122223333\\s+alice`));
  assert.ok(!listed.stdout.includes(secret));
  assert.equal(listed.stdout.trim().split('\n').length, 3);

  assert.equal((await cli('remove', id, '--file', file)).code, 0);
  assert.ok(!(await cli('list', '--file', file)).stdout.includes(id));
  const again = await cli('remove', id, '--file', file);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /no access key/);
});

test('the file comes from EC2LITE_CREDENTIALS when --file is absent', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ec2lite-cli-')), 'env.json');
  process.env.EC2LITE_CREDENTIALS = file;
  try {
    assert.equal((await cli('add', '--account', '222233334444')).code, 0);
    assert.match((await cli('list')).stdout, /222233334444/);
  } finally {
    delete process.env.EC2LITE_CREDENTIALS;
  }
});

test('usage errors and help', async () => {
  assert.equal((await cli('--help')).code, 0);
  assert.match((await cli('--help')).stdout, /Examples:/);
  assert.equal((await cli()).code, 2);
  assert.equal((await cli('frobnicate')).code, 2);
  const bad = await cli('add', '--account', '12', '--file', '/nonexistent/x.json');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--account must be 12 digits/);
  assert.equal((await cli('list', '--file', join(tmpdir(), 'ec2lite-no-such-file.json'))).stdout, `No access keys in ${join(tmpdir(), 'ec2lite-no-such-file.json')}.\n`);
});
