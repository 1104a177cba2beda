// An instance's SSH endpoint under sshd's limits (issue 19): the banner names no OpenSSH build,
// the key exchange offers only what a current OpenSSH offers by default minus what ssh-audit
// fails and no compression before authentication, an unauthenticated connection is closed after
// LoginGraceTime, MaxStartups drops new connections while too many are unauthenticated, and
// sessions are capped per connection (MaxSessions) and per instance. Raw sockets for what happens
// before authentication, the real OpenSSH client for the rest.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { sshTarget, type SshTarget } from '../helpers/ssh.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the SSH limit tests');

/** One instance on its own server with these limits; the one place this file launches. */
async function instanceWith(limits: Parameters<typeof startTestServer>[0]): Promise<{ server: TestServer; client: EC2Client; probe: SshProbe; id: string; target: SshTarget }> {
  const server = await startTestServer(limits);
  const client = server.client();
  const probe = await sshProbe(client);
  const r = await client.send(new RunInstancesCommand({ ImageId: (await images(client)).al2023, MinCount: 1, MaxCount: 1, KeyName: probe.keyName }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  await allowSsh(client, id); // port 22 open, as a user would before connecting
  return { server, client, probe, id, target: await sshTarget(server.url, id) };
}

/** A raw TCP connection: what the server sent, and whether (and when) it closed. */
class Raw {
  readonly socket: Socket;
  data = Buffer.alloc(0);
  readonly closed: Promise<void>;
  readonly connected: Promise<void>;

  constructor(target: SshTarget) {
    this.socket = connect(target.port, target.host);
    this.socket.on('data', (d) => (this.data = Buffer.concat([this.data, d])));
    this.socket.on('error', () => {});
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  async until(pred: (data: Buffer) => boolean): Promise<void> {
    while (!pred(this.data)) {
      if (this.socket.destroyed) throw new Error(`closed after ${JSON.stringify(this.data.toString('latin1'))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  get isOpen(): boolean {
    return !this.socket.destroyed;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The name-lists of the server's SSH_MSG_KEXINIT (RFC 4253 §7.1), read after sending our identification. */
async function serverKexInit(target: SshTarget): Promise<Record<string, string[]>> {
  const raw = new Raw(target);
  await raw.until((d) => d.includes('\r\n'));
  raw.socket.write('SSH-2.0-probe\r\n');
  const start = raw.data.indexOf('\r\n') + 2;
  await raw.until((d) => d.length >= start + 4 && d.length >= start + 4 + d.readUInt32BE(start));
  const packet = raw.data.subarray(start + 5, start + 4 + raw.data.readUInt32BE(start));
  raw.socket.destroy();
  assert.equal(packet[0], 20, 'SSH_MSG_KEXINIT');
  let p = 17; // message number + 16-byte cookie
  const names = ['kex', 'hostKey', 'cipherC2S', 'cipherS2C', 'macC2S', 'macS2C', 'compressC2S', 'compressS2C'];
  const out: Record<string, string[]> = {};
  for (const n of names) {
    const len = packet.readUInt32BE(p);
    out[n] = packet.subarray(p + 4, p + 4 + len).toString('latin1').split(',');
    p += 4 + len;
  }
  return out;
}

describe('SSH endpoint before authentication', () => {
  let env: Awaited<ReturnType<typeof instanceWith>>;
  before(async () => {
    env = await instanceWith({ sshLimits: { loginGraceTimeMs: 1500, maxStartups: { start: 2, rate: 100, full: 2 } } });
  });
  after(async () => {
    await env.server.close();
    env.probe.cleanup();
  });

  it('names no OpenSSH build in its identification string', async () => {
    const raw = new Raw(env.target);
    await raw.until((d) => d.includes('\r\n'));
    const banner = raw.data.toString('latin1').split('\r\n')[0]!;
    raw.socket.destroy();
    assert.match(banner, /^SSH-2\.0-\S+$/);
    assert.doesNotMatch(banner, /OpenSSH/i);
  });

  it('offers compression only after authentication, and no algorithm ssh-audit fails', async () => {
    const k = await serverKexInit(env.target);
    assert.deepEqual(k.compressC2S, ['none', 'zlib@openssh.com']);
    assert.deepEqual(k.compressS2C, ['none', 'zlib@openssh.com']);
    for (const weak of ['ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1', 'diffie-hellman-group-exchange-sha1']) {
      assert.ok(!k.kex!.includes(weak), `kex ${weak} offered`);
    }
    assert.ok(k.kex!.includes('curve25519-sha256'));
    for (const mac of [...k.macC2S!, ...k.macS2C!]) assert.doesNotMatch(mac, /sha1|md5|-96/, `mac ${mac} offered`);
    for (const cipher of [...k.cipherC2S!, ...k.cipherS2C!]) assert.doesNotMatch(cipher, /cbc|arcfour|3des|blowfish/, `cipher ${cipher} offered`);
    assert.deepEqual(k.hostKey, ['ssh-ed25519']);
    // the real client: a login with compression asked for works (zlib starts after auth) …
    const c = await env.probe.run(env.server.url, env.id, 'echo compressed');
    assert.equal(c.code, 0, c.stderr);
    // … and one that insists on a NIST curve finds no common key exchange
    const t = env.target;
    const refused = await runAsync('/usr/bin/ssh', ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'KexAlgorithms=ecdh-sha2-nistp256', '-p', String(t.port), `${t.user}@${t.host}`, 'true']);
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /no matching key exchange method/);
  });

  it('closes a connection that does not authenticate within LoginGraceTime', { timeout: 30_000 }, async () => {
    const raw = new Raw(env.target);
    await raw.until((d) => d.includes('\r\n'));
    await raw.closed; // nothing sent after the banner: the server ends it (the test would time out otherwise)
    assert.equal(raw.isOpen, false);
    // an authenticated session outlives the grace time
    const long = await env.probe.run(env.server.url, env.id, 'sleep 2; echo still here');
    assert.equal(long.code, 0, long.stderr);
    assert.equal(long.stdout, 'still here\n');
  });

  it('drops new connections past MaxStartups while others are unauthenticated, and accepts again once they go', { timeout: 30_000 }, async () => {
    const a = new Raw(env.target);
    const b = new Raw(env.target);
    await a.until((d) => d.includes('\r\n'));
    await b.until((d) => d.includes('\r\n'));
    const c = new Raw(env.target);
    await c.closed;
    assert.equal(c.data.length, 0, 'dropped before the identification string');
    a.socket.destroy();
    b.socket.destroy();
    await Promise.all([a.closed, b.closed]);
    await sleep(50);
    const d = new Raw(env.target);
    await d.until((x) => x.includes('\r\n'));
    d.socket.destroy();
  });
});

describe('SSH sessions per connection and per instance', () => {
  let env: Awaited<ReturnType<typeof instanceWith>>;
  const dir = tempDir('ec2lite-ssh-mux-');
  before(async () => {
    env = await instanceWith({ sshLimits: { maxSessionsPerConnection: 2, maxSessionsPerInstance: 3 } });
  });
  after(async () => {
    await env.server.close();
    env.probe.cleanup();
    dir.cleanup();
  });

  it('refuses a session beyond MaxSessions on one connection (OpenSSH multiplexing), and beyond the instance cap across connections', { timeout: 60_000 }, async () => {
    const t = env.target;
    const sock = dir.file('mux');
    const common = ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-i', env.probe.keyPath, '-p', String(t.port)];
    /** A session that prints `started` and then holds its channel open. */
    const hold = (extra: string[]): { p: ChildProcess; started: Promise<void> } => {
      const p = spawn('/usr/bin/ssh', [...extra, ...common, `${t.user}@${t.host}`, 'echo started; sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      const started = new Promise<void>((resolve, reject) => {
        p.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('started')) resolve();
        });
        p.once('exit', (code) => reject(new Error(`session ended (${code}) before it started`)));
      });
      return { p, started };
    };
    const master = spawn('/usr/bin/ssh', ['-M', '-S', sock, '-N', ...common, `${t.user}@${t.host}`], { stdio: 'ignore' });
    const held: ChildProcess[] = [];
    try {
      while ((await runAsync('/usr/bin/ssh', ['-S', sock, '-O', 'check', `${t.user}@${t.host}`])).code !== 0) await sleep(50);
      for (let i = 0; i < 2; i++) {
        const h = hold(['-S', sock]);
        held.push(h.p);
        await h.started;
      }
      const third = await runAsync('/usr/bin/ssh', ['-S', sock, '-o', 'BatchMode=yes', `${t.user}@${t.host}`, 'echo third']);
      assert.notEqual(third.code, 0, 'a third session on one connection is refused');
      assert.equal(third.stdout, '');
      // two sessions held on the master's connection; one more on its own connection reaches the instance cap (3)
      const other = hold([]);
      held.push(other.p);
      await other.started;
      const fourth = await env.probe.run(env.server.url, env.id, 'echo fourth');
      assert.equal(fourth.code, 255, 'a fourth session on the instance is refused');
      assert.equal(fourth.stdout, '');
      for (const p of held) p.kill();
      // once they end, sessions open again
      let ok = await env.probe.run(env.server.url, env.id, 'echo again');
      for (let i = 0; i < 100 && ok.code !== 0; i++) {
        await sleep(100);
        ok = await env.probe.run(env.server.url, env.id, 'echo again');
      }
      assert.equal(ok.stdout, 'again\n');
    } finally {
      for (const p of held) p.kill();
      master.kill();
    }
  });
});
