// Volume writes are incremental (issue 19): a command that changed two inodes of a nearly full
// volume writes those inodes, not the volume; what was written reads back after a restart, a
// snapshot copies the layer in the database, and a layer stored whole by an earlier version is
// still read and turned into rows at its first save. On SQLite and PostgreSQL.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LayeredVolumeStore, type BlockData } from '../../src/guest/fs/layered-store.js';
import { imageTemplate } from '../../src/guest/images.js';
import { InstanceGuest } from '../../src/guest/instance-guest.js';
import { closeOpenedStores, engines } from '../helpers/store-engines.js';
import { sampleMetadata } from '../helpers/guest.js';

after(closeOpenedStores);

/** Counts what the store is asked to write. */
function counting(data: BlockData) {
  const seen = { rows: 0, bytes: 0, wholeDocuments: 0 };
  const wrapped: BlockData = {
    load: (id) => data.load(id),
    save: async (id, r) => {
      seen.wholeDocuments++;
      seen.bytes += JSON.stringify(r.data).length;
      return data.save(id, r);
    },
    remove: (id) => data.remove(id),
    release: (id) => data.release(id),
    hasDependents: (id) => data.hasDependents(id),
    size: (id) => data.size(id),
    saveRows: async (id, r, rows, deletes, replace) => {
      seen.rows += rows.length;
      seen.bytes += JSON.stringify(r.data).length + rows.reduce((n, x) => n + (x.doc?.length ?? 0), 0);
      return data.saveRows(id, r, rows, deletes, replace);
    },
    loadRows: (id) => data.loadRows(id),
    copy: (a, b) => data.copy(a, b),
  };
  return { wrapped, seen };
}

const boot = (volumes: LayeredVolumeStore, instanceId: string, rootVolumeId: string) =>
  InstanceGuest.start({ instanceId, image: imageTemplate('al2023'), rootVolume: { volumeId: rootVolumeId }, volumes, metadata: sampleMetadata({ instanceId }) });

for (const engine of engines()) {
  describe(`incremental volume writes (${engine.name})`, { skip: engine.skip }, () => {
    it('a touch on a nearly full volume writes a few rows; the volume reads back whole after a restart', async () => {
      const store = await engine.open();
      const { wrapped, seen } = counting(store.blockData);
      const volumes = new LayeredVolumeStore(wrapped, (key) => imageTemplate(key).rootSnapshot());
      await volumes.create('vol-full', 'image:al2023');
      const g = await boot(volumes, 'i-full', 'vol-full');
      await g.cloudInit;
      // ~56 MB of data in seven 8 MB files: the default volume holds 64 MB
      const fill = await g.exec('root', 'for i in 1 2 3 4 5 6 7; do head -c 8000000 /dev/urandom > /var/big$i; done; df -m / | tail -1');
      assert.equal(fill.exitCode, 0, fill.stderr);
      await g.persist();
      const before = { ...seen };
      const touch = await g.exec('ec2-user', 'touch ~/marker && echo done');
      assert.equal(touch.stdout, 'done\n');
      await g.persist();
      assert.ok(seen.rows - before.rows <= 3, `a touch wrote ${seen.rows - before.rows} rows`);
      assert.ok(seen.bytes - before.bytes < 64 * 1024, `a touch wrote ${seen.bytes - before.bytes} bytes`);
      assert.equal(seen.wholeDocuments, before.wholeDocuments, 'no whole-volume document was written');
      const sums = (await g.exec('root', 'md5sum /var/big*')).stdout;
      await g.stop();

      // a fresh store object (another node, or a restart) reads the same files
      const again = new LayeredVolumeStore(store.blockData, (key) => imageTemplate(key).rootSnapshot());
      const g2 = await boot(again, 'i-full', 'vol-full');
      assert.equal((await g2.exec('root', 'md5sum /var/big*')).stdout, sums);
      assert.equal((await g2.exec('ec2-user', 'ls ~/marker')).exitCode, 0);
      await g2.exec('root', 'rm /var/big7');
      await g2.persist();
      await g2.stop();

      // a snapshot is a copy in the database; a volume made from it has the same contents
      await again.snapshot('vol-full', 'snap-full');
      await again.create('vol-copy', 'snap-full');
      const g3 = await boot(again, 'i-copy', 'vol-copy');
      const listing = (await g3.exec('root', 'ls /var/ | grep big; ls /home/ec2-user/marker')).stdout;
      assert.equal(listing, 'big1\nbig2\nbig3\nbig4\nbig5\nbig6\n/home/ec2-user/marker\n');
      await g3.stop();
    });

    it('reads a layer stored as one document by an earlier version and turns it into rows at its first save', async () => {
      const store = await engine.open();
      const volumes = new LayeredVolumeStore(store.blockData, (key) => imageTemplate(key).rootSnapshot());
      // the earlier format: a whole filesystem in the layer's document
      await store.blockData.save('vol-old', { data: imageTemplate('al2023').rootSnapshot() });
      const g = await boot(volumes, 'i-old', 'vol-old');
      await g.exec('ec2-user', 'echo kept > ~/note');
      await g.persist();
      await g.stop();
      const row = await store.blockData.load('vol-old');
      assert.equal((row!.data as { format: string }).format, 'ec2lite-fs-rows/1');
      const g2 = await boot(new LayeredVolumeStore(store.blockData, (key) => imageTemplate(key).rootSnapshot()), 'i-old', 'vol-old');
      assert.equal((await g2.exec('ec2-user', 'cat ~/note /etc/os-release | head -2')).stdout.split('\n')[0], 'kept');
      await g2.stop();
      await volumes.remove('vol-old');
      assert.deepEqual(await store.blockData.loadRows('vol-old'), []);
    });
  });
}
