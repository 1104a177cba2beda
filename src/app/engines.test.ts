// The engines app/ wires, checked through the port only (compute/guest-engine.ts): what any engine
// must do for the runtime and the SSH transport. A second engine adds its name to the loop.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { catalogueImage } from '../compute/image-catalogue.js';
import type { SessionChannel } from '../compute/guest-engine.js';
import { imageSource } from '../compute/volume-bytes.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { ENGINE_NAMES, guestEngines } from './engines.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm9Ir7bBlvw3/RN3+sEzEAlQRB5rX8yQ8qkFj3pqWnC';

/** An exec channel whose output is collected; resolves with the exit status. */
function channel(user: string): { ch: SessionChannel; done: Promise<{ code: unknown; out: string }> } {
  const out: Buffer[] = [];
  const input = new PassThrough();
  let exit!: (code: unknown) => void;
  const done = new Promise<unknown>((r) => (exit = r)).then((code) => ({ code, out: Buffer.concat(out).toString() }));
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk);
      cb();
    },
  });
  input.end();
  stream.push(null);
  const ch: SessionChannel = { user, remoteAddress: '127.0.0.1', stream, stderr: new PassThrough(), pty: undefined, env: {}, onResize: () => {}, onSignal: () => {}, exit: (how) => exit(how) };
  return { ch, done };
}

describe('guest engines through the port', () => {
  it('refuses an unknown or empty engine list', () => {
    const store = openSqliteStore({ path: ':memory:' });
    assert.throws(() => guestEngines({ store, log: () => {}, names: ['nope'] }), /unknown guest engine 'nope'/);
    assert.throws(() => guestEngines({ store, log: () => {}, names: [] }), /at least one/);
  });

  // each engine in this thread, and the simulated one also in guest processes (guest/worker-engine.ts)
  const variants = [...ENGINE_NAMES.map((name) => ({ name, processes: 0 })), { name: 'simulated', processes: 2 }];
  for (const { name, processes } of variants) {
    it(`${name}${processes ? ` in ${processes} guest processes` : ''}: volume bytes by operation, boot, authorized keys, an exec session, stop`, async () => {
      const store = openSqliteStore({ path: ':memory:' });
      const [engine] = guestEngines({ store, log: () => {}, names: [name], guestProcesses: { processes, heapMb: 256, stallMs: 5000 } });
      assert.equal(engine!.name, name);
      await engine!.volumes.create('vol-00000000000000001', imageSource('al2023'));
      assert.equal(await engine!.volumes.exists('vol-00000000000000001'), true);
      assert.equal(await engine!.volumes.exists('vol-00000000000000002'), false);
      const guest = await engine!.start({
        instanceId: 'i-00000000000000001',
        image: catalogueImage('al2023'),
        root: { volumeId: 'vol-00000000000000001', device: '/dev/xvda', sizeGiB: 8 },
        attached: [],
        metadata: { instanceId: 'i-00000000000000001', amiId: 'ami-1', instanceType: 't3.micro', region: 'us-east-1', availabilityZone: 'us-east-1a', localIpv4: '172.31.0.5', localHostname: 'ip-172-31-0-5.ec2.internal', launchKey: { name: 'k', publicKey: KEY } },
        metadataOptions: { httpTokens: 'optional', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      });
      try {
        assert.equal(guest.defaultUser, 'ec2-user');
        assert.equal(guest.hasVolume('vol-00000000000000001'), true);
        const keys = await guest.authorizedKeys('ec2-user');
        assert.ok(keys.ok && keys.lines.some((l) => l.startsWith(KEY)), 'first boot put the launch key in authorized_keys');
        assert.deepEqual(await guest.authorizedKeys('nobody-here'), { ok: false, reason: 'Invalid user nobody-here', unknownUser: true });
        const { ch, done } = channel('ec2-user');
        guest.sessions.exec(ch, 'echo hi from $(whoami); exit 3');
        assert.deepEqual(await done, { code: 3, out: 'hi from ec2-user\n' });
      } finally {
        await guest.stop();
        await engine!.close();
        await store.close();
      }
    });
  }
});
