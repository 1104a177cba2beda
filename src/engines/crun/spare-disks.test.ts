// Spare blank disks: the first volume of a size finds none and asks for one; the next takes it by
// rename (the spare's bytes are the new disk); a half-made spare left by a crash is removed at the
// next run's first use and a whole one is kept. A fake `make` stands for mkfs (volume-disk.ts makes real ones).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpareDisks } from './spare-disks.js';
import { tempDir } from '../../../test/helpers/tools.js';

const made: string[] = [];
const fakeMake = async (file: string, sizeGiB: number) => {
  made.push(file);
  writeFileSync(file, `blank ${sizeGiB} GiB #${made.length}`);
};

async function untilReady(s: SpareDisks, size: number): Promise<void> {
  while (s.readyCount(size) === 0) await new Promise((r) => setTimeout(r, 5));
}

describe('spare disks', () => {
  it('the first volume of a size makes its own; the next takes the spare made meanwhile', async () => {
    const d = tempDir('ec2lite-spares-');
    try {
      const s = new SpareDisks(join(d.path, 'spares'), fakeMake, () => {}, 0);
      assert.equal(s.take(8, d.file('vol-1.disk')), false);
      await untilReady(s, 8);
      assert.equal(s.readyCount(4), 0, 'only sizes in use are kept');
      assert.equal(s.take(8, d.file('vol-2.disk')), true);
      assert.match(readFileSync(d.file('vol-2.disk'), 'utf8'), /^blank 8 GiB/);
      await untilReady(s, 8); // replaced
      assert.deepEqual(readdirSync(join(d.path, 'spares')).filter((n) => n.startsWith('tmp-')), []);
      s.close();
    } finally {
      d.cleanup();
    }
  });

  it('keeps whole spares across a restart and removes half-made ones', async () => {
    const d = tempDir('ec2lite-spares-');
    try {
      const dir = join(d.path, 'spares');
      const first = new SpareDisks(dir, fakeMake, () => {}, 0);
      first.keep(2);
      await untilReady(first, 2);
      first.close();
      writeFileSync(join(dir, 'tmp-1-1'), 'half');
      const again = new SpareDisks(dir, fakeMake, () => {}, 0);
      assert.equal(again.readyCount(2), 1);
      assert.equal(existsSync(join(dir, 'tmp-1-1')), false);
      assert.equal(again.take(2, d.file('vol.disk')), true);
      again.close();
    } finally {
      d.cleanup();
    }
  });
});
