import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCredentials } from '../auth/credentials-file.js';
import { isLoopback, setUpAuth } from './auth-mode.js';

const base = { auth: undefined, credentialsFile: undefined, allowOpenOnNetwork: false };

test('loopback addresses', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '::ffff:10.0.0.1']) assert.equal(isLoopback(h), false, h);
});

test('default: open on loopback, strict elsewhere (which needs a credentials file)', () => {
  assert.equal(setUpAuth({ ...base, host: '127.0.0.1' }).mode, 'open');
  const missing = join(mkdtempSync(join(tmpdir(), 'ec2lite-auth-')), 'none.json');
  assert.throws(() => setUpAuth({ ...base, host: '0.0.0.0', credentialsFile: missing }), /no such file; create it with: ec2lite credentials add/);
  const file = join(mkdtempSync(join(tmpdir(), 'ec2lite-auth-')), 'c.json');
  writeCredentials(file, [{ accessKeyId: 'AKIAX', secretAccessKey: 's', accountId: '111122223333' }]);
  const strict = setUpAuth({ ...base, host: '0.0.0.0', credentialsFile: file });
  assert.equal(strict.mode, 'strict');
  assert.match(strict.notices[0]!, /1 access key\(s\)/);
});

test('open on a network address is refused unless explicitly allowed', () => {
  assert.throws(() => setUpAuth({ ...base, host: '0.0.0.0', auth: 'open' }), /refusing to serve --auth open on 0\.0\.0\.0/);
  assert.equal(setUpAuth({ ...base, host: '0.0.0.0', auth: 'open', allowOpenOnNetwork: true }).mode, 'open');
});
