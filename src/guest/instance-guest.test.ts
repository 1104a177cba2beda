import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryVolumeStore } from './fs/volume-store.js';
import { imageTemplate } from './images.js';
import { InstanceGuest } from './instance-guest.js';
import { SAMPLE_KEY, bootGuest, sampleMetadata } from '../../test/helpers/guest.js';

const NEW_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNld2tleW5ld2tleW5ld2tleW5ld2tleW5ld2tleW5l new';

describe('InstanceGuest', () => {
  it('installs the launch key once, at first boot', async () => {
    const { guest, store } = await bootGuest();
    const ak = await guest.exec('ec2-user', 'cat ~/.ssh/authorized_keys; stat -c "%a %U" ~/.ssh ~/.ssh/authorized_keys');
    assert.equal(ak.stdout, `${SAMPLE_KEY} dev\n700 ec2-user\n600 ec2-user\n`);
    await guest.exec('ec2-user', ': > ~/.ssh/authorized_keys');
    await guest.stop();
    const again = await bootGuest({ store });
    assert.equal((await again.guest.exec('ec2-user', 'wc -c < ~/.ssh/authorized_keys')).stdout, '0\n');
  });

  it('keeps files across stop/start (the store snapshot)', async () => {
    const { guest, store } = await bootGuest();
    await guest.exec('ec2-user', 'echo persisted > note && chmod 640 note && sudo useradd -m carol');
    await guest.stop();
    const saved = await store.load('vol-root1');
    assert.ok(saved);
    const restarted = await bootGuest({ store });
    const r = await restarted.guest.exec('ec2-user', 'cat note; stat -c %a note; id -u carol');
    assert.equal(r.stdout, 'persisted\n640\n1001\n');
  });

  it('saves after every changing command, not after read-only ones', async () => {
    const { guest, store } = await bootGuest();
    const before = store.saves;
    await guest.exec('ec2-user', 'ls -la; cat /etc/os-release > /dev/null');
    assert.equal(store.saves, before);
    await guest.exec('ec2-user', 'touch x');
    assert.equal(store.saves, before + 1);
  });

  it('carries out the lost-key recovery with another instance', async () => {
    const store = new MemoryVolumeStore();
    const original = await bootGuest({ store, instanceId: 'i-0000000000000000a', rootVolumeId: 'vol-orig' });
    await original.guest.stop();
    const temp = await bootGuest({
      store,
      instanceId: 'i-0000000000000000b',
      rootVolumeId: 'vol-temp',
      metadata: { launchKey: { name: 'new', publicKey: NEW_KEY } },
    });
    await temp.guest.attachVolume('vol-orig', '/dev/sdf');
    const lsblk = await temp.guest.exec('ec2-user', 'lsblk');
    assert.match(lsblk.stdout, /^xvdf +202:80 .* disk $/m);
    assert.match(lsblk.stdout, /^└─xvdf1 +202:81 .* part $/m);
    const raw = await temp.guest.exec('ec2-user', 'sudo mkdir /mnt/tempvol && sudo mount /dev/xvdf /mnt/tempvol');
    assert.equal(raw.exitCode, 32);
    assert.match(raw.stderr, /wrong fs type/);
    // Both roots come from one image: XFS refuses the duplicate UUID unless told `nouuid`.
    const dup = await temp.guest.exec('ec2-user', 'sudo mount /dev/xvdf1 /mnt/tempvol');
    assert.equal(dup.exitCode, 32);
    assert.match(dup.stderr, /wrong fs type, bad option, bad superblock on \/dev\/xvdf1/);
    const steps = [
      'sudo mount -o nouuid /dev/xvdf1 /mnt/tempvol',
      'cp .ssh/authorized_keys /mnt/tempvol/home/ec2-user/.ssh/authorized_keys',
      'sudo stat -c "%a %u %g" /mnt/tempvol/home/ec2-user/.ssh/authorized_keys',
      'sudo umount /mnt/tempvol',
    ].join(' && ');
    const r = await temp.guest.exec('ec2-user', steps);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '600 1000 1000\n');
    await temp.guest.detachVolume('vol-orig');
    const back = await InstanceGuest.start({
      instanceId: 'i-0000000000000000a',
      image: imageTemplate('al2023'),
      rootVolume: { volumeId: 'vol-orig' },
      volumes: store,
      metadata: sampleMetadata({ instanceId: 'i-0000000000000000a' }),
    });
    const keys = back.authorizedKeys('ec2-user');
    assert.ok(keys.ok);
    assert.ok(keys.lines.includes(NEW_KEY));
    // metadata still shows the key given at launch
    assert.equal((await back.exec('ec2-user', 'curl -s http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key')).stdout, `${SAMPLE_KEY} dev`);
  });

  it('applies StrictModes to authorized_keys', async () => {
    const { guest } = await bootGuest();
    assert.equal(guest.authorizedKeys('ec2-user').ok, true);
    for (const [bad, fix] of [
      ['chmod 666 ~/.ssh/authorized_keys', 'chmod 600 ~/.ssh/authorized_keys'],
      ['chmod g+w ~/.ssh', 'chmod 700 ~/.ssh'],
      ['chmod 777 ~', 'chmod 700 ~'],
      ['sudo chown root ~/.ssh/authorized_keys && sudo chmod 644 ~/.ssh/authorized_keys', 'sudo chown ec2-user ~/.ssh/authorized_keys'],
      ['sudo useradd -M zed && sudo chown zed ~/.ssh/authorized_keys', 'sudo chown ec2-user ~/.ssh/authorized_keys'],
    ]) {
      await guest.exec('ec2-user', bad!);
      const expectOk = bad!.includes('chown root');
      assert.equal(guest.authorizedKeys('ec2-user').ok, expectOk, bad);
      await guest.exec('ec2-user', fix!);
      assert.equal(guest.authorizedKeys('ec2-user').ok, true, fix);
    }
    assert.equal(guest.authorizedKeys('nobody-here').ok, false);
  });

  it('boots the Ubuntu image with its own user and sudo group', async () => {
    const { guest } = await bootGuest({ image: 'ubuntu-24.04' });
    const r = await guest.exec('ubuntu', 'id; stat -c "%a" ~; sudo -n whoami; grep ^ID= /etc/os-release');
    assert.equal(r.stdout, 'uid=1000(ubuntu) gid=1000(ubuntu) groups=1000(ubuntu),4(adm),24(cdrom),27(sudo),30(dip),101(lxd)\n750\nroot\nID=ubuntu\n');
    const add = await guest.exec('ubuntu', 'sudo adduser --disabled-password --gecos "" dave >/dev/null && id dave && ls -d /home/dave');
    assert.equal(add.stdout, 'uid=1001(dave) gid=1001(dave) groups=1001(dave)\n/home/dave\n');
  });

  it('limits what one command line may print', async () => {
    const store = new MemoryVolumeStore();
    const guest = await InstanceGuest.start({
      instanceId: 'i-1',
      image: imageTemplate('al2023'),
      rootVolume: { volumeId: 'vol-1' },
      volumes: store,
      metadata: sampleMetadata(),
      limits: { shell: { maxOutputBytes: 1000 } },
    });
    await guest.exec('ec2-user', 'printf "%0900d" 0 > big');
    const r = await guest.exec('ec2-user', 'cat big big');
    // the command line is killed, as a process over an rlimit is
    assert.equal(r.exitCode, 153);
    assert.match(r.stderr, /Output limit exceeded/);
  });
});
