// The SSH transport's two hooks for other features, with the real OpenSSH client: `admit`
// (security groups decide at accept: a refused peer gets no SSH at all, or one line saying why) and `extraAuthorizedKeys`
// (EC2 Instance Connect: a key accepted besides the user's authorized_keys). The guest is a
// stand-in that implements the port's session handlers only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { generateHostKey, startSshTransport, type SshTransport } from '../../src/compute/ssh/transport.js';
import type { SessionHandlers } from '../../src/compute/guest-engine.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the SSH transport hook tests');

const dir = tempDir('ec2lite-transport-');
const key = dir.file('id');
let pub = '';
let admitted: boolean | string = true;
const logged: string[] = [];
const asked: { remote: string; port: number }[] = [];
const extraAskedFor: string[] = [];
let transport: SshTransport;

const sessions: SessionHandlers = {
  exec: (ch, command) => {
    ch.stream.write(`${ch.user} ran ${command}\n`);
    ch.exit(0);
  },
  shell: (ch) => ch.exit(1),
};

before(async () => {
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
  pub = (await readFile(`${key}.pub`, 'utf8')).trim();
  transport = await startSshTransport({
    host: '127.0.0.1',
    port: 0,
    hostKey: generateHostKey(),
    guest: {
      authorizedKeys: async (user) => (user === 'ghost' ? { ok: false, reason: `Invalid user ${user}`, unknownUser: true } : { ok: false, reason: `no file for ${user}` }),
      sessions,
    },
    admit: (remote, port) => {
      asked.push({ remote, port });
      return admitted;
    },
    extraAuthorizedKeys: (user) => {
      extraAskedFor.push(user);
      return user === 'ec2-user' || user === 'ghost' ? [pub] : [];
    },
    log: (line) => logged.push(line),
  });
});
after(async () => {
  await transport.close();
  dir.cleanup();
});

const ssh = (user: string) =>
  runAsync('/usr/bin/ssh', ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'IdentitiesOnly=yes', '-i', key, '-p', String(transport.port), `${user}@127.0.0.1`, 'hello']);

describe('SSH transport hooks', () => {
  it('accepts a key only the extra-keys hook knows, for that user only', async () => {
    const ok = await ssh('ec2-user');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'ec2-user ran hello\n');
    const other = await ssh('root');
    assert.equal(other.code, 255);
    assert.match(other.stderr, /Permission denied/);
  });

  it('does not ask the extra-keys hook about an account that does not exist (as sshd runs no AuthorizedKeysCommand then)', async () => {
    extraAskedFor.length = 0;
    const ghost = await ssh('ghost');
    assert.equal(ghost.code, 255);
    assert.match(ghost.stderr, /Permission denied/);
    assert.ok(!extraAskedFor.includes('ghost'), extraAskedFor.join(','));
  });

  it('asks admit with the peer and the local port, and a refusal ends the connection before SSH starts', async () => {
    asked.length = 0;
    admitted = false;
    try {
      const refused = await ssh('ec2-user');
      assert.equal(refused.code, 255);
      assert.doesNotMatch(refused.stderr, /Permission denied/);
      assert.deepEqual(asked.at(-1), { remote: '127.0.0.1', port: transport.port });
    } finally {
      admitted = true;
    }
  });

  it('a refusal reason is written as one plain-text line before the connection closes, and logged', async () => {
    admitted = 'i-0123456789abcdef0: no inbound rule allows tcp/22 from 127.0.0.1';
    logged.length = 0;
    try {
      const text = await new Promise<string>((resolve, reject) => {
        let got = '';
        const socket = connect(transport.port, '127.0.0.1');
        socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
      });
      assert.equal(text, 'ec2lite: connection refused: i-0123456789abcdef0: no inbound rule allows tcp/22 from 127.0.0.1\r\n');
      assert.ok(logged.some((l) => l.includes('refused 127.0.0.1') && l.includes('no inbound rule allows tcp/22')), logged.join('\n'));
      const refused = await ssh('ec2-user');
      assert.equal(refused.code, 255);
      assert.doesNotMatch(refused.stderr, /Permission denied/);
    } finally {
      admitted = true;
    }
  });
});
