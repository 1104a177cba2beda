// The two store engines keep the same files for the same concerns (docs/architecture.md), so a
// change to one engine's file shows which file of the other needs the same change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/structure → repo
const ENGINES = ['sqlite', 'postgres'] as const;

/** Files of an engine's folder, with the engine's own name replaced so the two lists compare. */
function layout(engine: string): string[] {
  const dir = join(root, 'src', 'store', engine);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [relative(dir, join(d, e.name))]));
  return walk(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(engine, '<engine>'))
    .sort();
}

describe('store engine layout', () => {
  it('gives src/store/sqlite and src/store/postgres the same files', () => {
    const [sqlite, postgres] = ENGINES.map(layout);
    assert.ok(sqlite!.includes('<engine>-store.ts'), `unexpected layout: ${sqlite}`);
    assert.deepEqual(sqlite, postgres);
  });
});
