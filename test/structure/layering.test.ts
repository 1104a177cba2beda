// Keeps docs/architecture.md's dependency rule true: reads the imports of every shipped file in
// src/ (the TypeScript sources, not the build) and fails on an import that goes up the layers, or
// across to a peer, on a cycle between files, on shipped code importing tests, and on a store
// adapter used from anywhere but the composition root.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers of src/, top to bottom. A folder may import only folders in LOWER layers (never one
 * above, never a peer in its own layer). A new folder in src/ must be placed here first.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli'], // commands; `serve` starts the app
  ['app'], // composition root: config → store, key pool, runtime, routes, HTTP server
  ['console'], // the web console: its files for the route table; web/ is browser code, a client of the API
  ['autoscaling'], // the Auto Scaling reconciler: a background worker driving actions' launch/terminate paths
  ['http'], // node:http plumbing and the internal route table
  ['protocol'], // EC2 Query: SigV4 identity, parameters, action dispatch, XML
  ['actions'], // one file per API action; the validation engine; handler output types
  ['guest', 'engines'], // guest engines (adapters of compute's port, peers that never import each other): guest/ the simulated OS; engines/crun the real-process engine; a guest engine (adapter of compute's port): the simulated OS — filesystems, users, shell, IMDS
  ['compute'], // instances: image catalogue, addresses, host keys, the runtime, the guest-engine port, SSH transport
  ['store'], // the store port (port.ts) and its adapters (sqlite/, postgres/)
  ['domain', 'keys', 'auth'], // rules without I/O; key crypto; the credentials file
  ['errors'], // the EC2 error catalogue
];

/** Store adapters and guest engines: only the composition root picks one; everything else sees the port. */
const ADAPTERS = ['store/sqlite', 'store/postgres'];
const ADAPTER_USERS = ['app'];
/** Guest engines implement compute/guest-engine.ts; compute never imports them (they sit above it) and only app wires them. */
const ENGINES = ['guest', 'engines'];

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test');
    dir = up;
  }
  return dir;
}

const root = repoRoot();
const SRC = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const isTest = (file: string) => file.endsWith('.test.ts');

/** Relative specifiers of static imports/re-exports, side-effect imports and literal dynamic imports. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]!);
  return found.filter((s) => s.startsWith('.'));
}

/** 'src/store/sqlite/x.ts' → its path under src with '/' separators: 'store/sqlite/x.ts'. */
const underSrc = (file: string) => relative(SRC, file).split(sep).join('/');
const folderOf = (srcPath: string) => srcPath.split('/')[0]!;

interface Edge {
  from: string; // path under src
  to: string; // path under src (or '../test/…' when it leaves src)
  spec: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
      out.push({ from: underSrc(file), to: underSrc(target), spec });
    }
  }
  return out;
}

const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function upwardImports(list: readonly Edge[]): string[] {
  return list
    .filter((e) => !e.to.startsWith('..'))
    .filter((e) => {
      const a = folderOf(e.from);
      const b = folderOf(e.to);
      return a !== b && !(layerOf.get(b)! > layerOf.get(a)!);
    })
    .map((e) => `${e.from} → ${e.spec} (${folderOf(e.from)} may not import ${folderOf(e.to)})`);
}

function adapterMisuse(list: readonly Edge[]): string[] {
  return list
    .filter((e) => ADAPTERS.some((a) => e.to.startsWith(`${a}/`)))
    .filter((e) => {
      const fromAdapter = ADAPTERS.find((a) => e.from.startsWith(`${a}/`));
      if (fromAdapter) return !e.to.startsWith(`${fromAdapter}/`);
      return !ADAPTER_USERS.includes(folderOf(e.from));
    })
    .map((e) => `${e.from} → ${e.spec}`);
}

function engineMisuse(list: readonly Edge[]): string[] {
  return list
    .filter((e) => ENGINES.includes(folderOf(e.to)) && folderOf(e.from) !== folderOf(e.to))
    .filter((e) => !ADAPTER_USERS.includes(folderOf(e.from)))
    .map((e) => `${e.from} → ${e.spec}`);
}

/** Tarjan's strongly connected components: each component of more than one file is a cycle. */
function cycles(list: readonly Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of list) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('layering of src/ (docs/architecture.md)', () => {
  const all = edges();
  const shipped = all.filter((e) => !isTest(e.from));

  it('finds the imports it checks', () => {
    // Guards the parser: if it stopped seeing imports, every rule below would pass vacuously.
    assert.ok(shipped.length > 200, `only ${shipped.length} imports found`);
    assert.ok(shipped.some((e) => e.from === 'app/app.ts' && e.to === 'http/server.ts'));
    assert.deepEqual(importSpecifiers("import {\n  a,\n  b,\n} from './x.js';\nexport type { T } from '../y.js';\nawait import('../z.js');"), [
      './x.js',
      '../y.js',
      '../z.js',
    ]);
  });

  it('places every folder of src/ in a layer', () => {
    const entries = readdirSync(SRC, { withFileTypes: true });
    const loose = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => e.name);
    assert.deepEqual(loose, [], 'files directly in src/ belong in a folder');
    const unplaced = entries.filter((e) => e.isDirectory() && !layerOf.has(e.name)).map((e) => e.name);
    assert.deepEqual(unplaced, [], 'add these folders to LAYERS in test/structure/layering.test.ts and to docs/architecture.md');
  });

  it('imports only downwards between folders', () => {
    assert.deepEqual(upwardImports(shipped), []);
  });

  it('ships no import of test code', () => {
    const bad = shipped.filter((e) => e.to.startsWith('..') || isTest(e.to)).map((e) => `${e.from} → ${e.spec}`);
    assert.deepEqual(bad, []);
  });

  it('uses a store adapter only from the composition root, and adapters never import each other', () => {
    assert.deepEqual(adapterMisuse(shipped), []);
  });

  it('wires guest engines only in the composition root; compute sees only its port', () => {
    assert.deepEqual(engineMisuse(shipped), []);
    assert.ok(layerOf.get('compute')! > layerOf.get('guest')!, 'compute sits below the engines that implement its port');
  });

  it('has no import cycle between files', () => {
    assert.deepEqual(cycles(shipped), []);
  });

  it('reports what it forbids (checked on made-up imports)', () => {
    const e = (from: string, to: string): Edge => ({ from, to, spec: to });
    assert.equal(upwardImports([e('store/port.ts', 'actions/output.ts')]).length, 1);
    assert.equal(upwardImports([e('domain/tags.ts', 'keys/types.ts')]).length, 1, 'peers are independent');
    assert.equal(upwardImports([e('actions/a.ts', 'store/port.ts'), e('guest/a.ts', 'guest/b.ts')]).length, 0);
    assert.equal(adapterMisuse([e('actions/a.ts', 'store/sqlite/x.ts')]).length, 1);
    assert.equal(adapterMisuse([e('store/sqlite/a.ts', 'store/postgres/x.ts')]).length, 1);
    assert.equal(adapterMisuse([e('app/app.ts', 'store/sqlite/x.ts'), e('store/sqlite/a.ts', 'store/sqlite/b.ts')]).length, 0);
    assert.equal(engineMisuse([e('compute/instance-runtime.ts', 'guest/index.ts')]).length, 1);
    assert.equal(engineMisuse([e('actions/run-instances.ts', 'guest/images.ts')]).length, 1);
    assert.equal(engineMisuse([e('app/app.ts', 'guest/index.ts'), e('guest/a.ts', 'compute/guest-engine.ts')]).length, 0);
    assert.deepEqual(cycles([e('a.ts', 'b.ts'), e('b.ts', 'c.ts'), e('c.ts', 'a.ts'), e('c.ts', 'd.ts')]), [['a.ts', 'b.ts', 'c.ts']]);
  });
});
