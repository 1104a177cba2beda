// LoginGraceTime against a guest that answers its key lookup late (a simulated guest whose boot is
// still queued on a busy machine): the server's own lookup time is not the client's, so the login
// goes through; a client that sends nothing is still cut off. ssh2's client against the transport.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import ssh2 from 'ssh2';
import { generateHostKey, startSshTransport } from './transport.js';

const { Client, utils } = ssh2;

const user = utils.generateKeyPairSync('ed25519');

/** A guest whose authorized_keys answer takes `delayMs`, holding `user`'s key for ec2-user. */
function slowGuest(delayMs: number) {
  return {
    authorizedKeys: async (name: string) => {
      await new Promise((r) => setTimeout(r, delayMs));
      return name === 'ec2-user' ? { ok: true as const, lines: [user.public] } : { ok: false as const, reason: `Invalid user ${name}`, unknownUser: true };
    },
    sessions: { exec: () => false, shell: () => false },
  };
}

/** Logs in with ssh2's client: 'ready', or the error/close that came first. */
function login(port: number): Promise<'ready' | 'closed'> {
  return new Promise((resolve) => {
    const c = new Client();
    c.on('ready', () => {
      c.end();
      resolve('ready');
    });
    c.on('error', () => resolve('closed'));
    c.on('close', () => resolve('closed'));
    c.connect({ host: '127.0.0.1', port, username: 'ec2-user', privateKey: user.private, readyTimeout: 20_000 });
  });
}

describe('SSH transport: LoginGraceTime', () => {
  it('does not count a key lookup that outlasts it: the login goes through', async () => {
    const t = await startSshTransport({ host: '127.0.0.1', port: 0, hostKey: generateHostKey(), guest: slowGuest(900), limits: { loginGraceTimeMs: 300 } });
    try {
      assert.equal(await login(t.port), 'ready');
    } finally {
      await t.close();
    }
  });

  it('still closes a connection that sends nothing', async () => {
    const t = await startSshTransport({ host: '127.0.0.1', port: 0, hostKey: generateHostKey(), guest: slowGuest(0), limits: { loginGraceTimeMs: 300 } });
    try {
      const s = connect(t.port, '127.0.0.1');
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString('latin1')));
      s.on('error', () => {});
      // (the test would time out if the server kept it open)
      await new Promise<void>((resolve) => s.once('close', () => resolve()));
      assert.equal(got, 'SSH-2.0-ec2lite\r\n', 'the banner, then nothing');
    } finally {
      await t.close();
    }
  });
});
