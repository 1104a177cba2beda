#!/usr/bin/env node
// `npm start`: runs the built server (dist/), rebuilding first only when a source is newer than
// its build output. `npm ci` builds once (the `prepare` script); this check costs milliseconds,
// where running tsc on every start cost seconds. Arguments go to `ec2lite serve`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const SRC = join(root, 'src');
const OUT = join(root, 'dist', 'src');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'].map((f) => join(root, f));

/** Why the build is stale (a source newer than its output, a missing output, a newer tsconfig), if it is. */
function staleSource() {
  let oldestOutput = Infinity;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        const found = walk(path);
        if (found) return found;
        continue;
      }
      if (!e.name.endsWith('.ts') || e.name.endsWith('.test.ts') || e.name.endsWith('.d.ts')) continue;
      const out = join(OUT, relative(SRC, path)).replace(/\.ts$/, '.js');
      if (!existsSync(out)) return `${relative(root, out)} is not built yet`;
      const outTime = statSync(out).mtimeMs;
      if (statSync(path).mtimeMs > outTime) return `${relative(root, path)} changed since the last build`;
      oldestOutput = Math.min(oldestOutput, outTime);
    }
    return undefined;
  };
  const found = walk(SRC);
  if (found) return found;
  const config = CONFIGS.find((c) => existsSync(c) && statSync(c).mtimeMs > oldestOutput);
  return config && `${relative(root, config)} changed since the last build`;
}

const stale = staleSource();
if (stale) {
  process.stderr.write(`ec2lite: ${stale}; building…\n`);
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  // Not incremental: its record could claim outputs that were since deleted are up to date.
  const build = spawnSync(tsc, ['-p', join(root, 'tsconfig.build.json'), '--incremental', 'false'], { stdio: 'inherit' });
  if (build.error || build.status !== 0) {
    process.stderr.write(`ec2lite: the build failed${build.error ? `: ${build.error.message}` : ''}\n`);
    process.exit(1);
  }
}

const { main } = await import(pathToFileURL(join(OUT, 'cli', 'main.js')).href);
process.exitCode = await main(['serve', ...process.argv.slice(2)]);
