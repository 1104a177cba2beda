// The remote end of the legacy scp protocol, driven with the bytes an scp client sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootGuest } from '../../../../test/helpers/guest.js';

describe('scp -t / scp -f', async () => {
  const { guest } = await bootGuest();

  it('sink: acknowledges each message and writes files with their mode', async () => {
    const r = await guest.exec('ec2-user', 'scp -t /tmp', { stdin: 'C0640 3 a.txt\nabc\0' });
    assert.equal(r.stdout, '\0\0\0');
    assert.equal(r.exitCode, 0);
    assert.equal((await guest.exec('ec2-user', 'cat /tmp/a.txt; stat -c %a /tmp/a.txt')).stdout, 'abc640\n');
  });

  it('sink -r: directories, times and nesting', async () => {
    const msg = 'T1700000000 0 1700000000 0\nD0755 0 d\nC0644 2 f\nhi\0E\n';
    const r = await guest.exec('ec2-user', 'scp -r -p -t /tmp', { stdin: msg });
    assert.equal(r.stdout, '\0'.repeat(6));
    assert.equal((await guest.exec('ec2-user', 'cat /tmp/d/f; echo; stat -c %Y /tmp/d')).stdout, 'hi\n1700000000\n');
  });

  it('sink: a file it may not write is a warning (\\x01), a directory without -r is fatal (\\x02)', async () => {
    const denied = await guest.exec('ec2-user', 'scp -t /root/x', { stdin: 'C0644 1 x\nz\0' });
    assert.equal(denied.stdout, '\0\0\x01scp: /root/x: Permission denied\n');
    assert.equal(denied.exitCode, 1);
    const dir = await guest.exec('ec2-user', 'scp -t /tmp', { stdin: 'D0755 0 d\n' });
    assert.equal(dir.stdout, '\0\x02scp: received directory without -r\n');
  });

  it('source: sends C lines and data, waiting for each acknowledgement', async () => {
    await guest.exec('ec2-user', 'printf hello > /tmp/src.txt; chmod 600 /tmp/src.txt');
    const r = await guest.exec('ec2-user', 'scp -f /tmp/src.txt', { stdin: '\0\0\0' });
    assert.equal(r.stdout, 'C0600 5 src.txt\nhello\0');
    assert.equal(r.exitCode, 0);
    const missing = await guest.exec('ec2-user', 'scp -f /nonexistent', { stdin: '\0' });
    assert.equal(missing.stdout, '\x01scp: /nonexistent: No such file or directory\n');
    assert.equal(missing.exitCode, 1);
  });
});
