#!/usr/bin/env node
// `npm start`: runs the built server (dist/), rebuilding first only when a source is newer than
// its build output. `npm ci` builds once (the `prepare` script); this check costs milliseconds,
// where running tsc on every start cost seconds. Arguments go to `ec2lite serve`.
import { spawn, spawnSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const SRC = join(root, 'src');
const OUT = join(root, 'dist', 'src');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'].map((f) => join(root, f));
const CONSOLE_SRC = join(SRC, 'console', 'web');
const CONSOLE_BUNDLE = join(root, 'dist', 'console', 'app.js');

/** Why the web console's bundle is stale (missing, or older than a file of src/console/web), if it is. */
function staleConsole() {
  if (!existsSync(CONSOLE_BUNDLE)) return 'the web console is not built yet';
  const built = statSync(CONSOLE_BUNDLE).mtimeMs;
  const newer = readdirSync(CONSOLE_SRC, { recursive: true })
    .map((f) => join(CONSOLE_SRC, String(f)))
    .find((f) => statSync(f).isFile() && statSync(f).mtimeMs > built);
  return newer && `${relative(root, newer)} changed since the last build`;
}

/** Why the build is stale (a source newer than its output, a missing output, a newer tsconfig), if it is. */
function staleSource() {
  let oldestOutput = Infinity;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (path === CONSOLE_SRC) continue; // browser code: bundled into dist/console, checked below
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

const consoleStale = staleConsole();
if (consoleStale) {
  process.stderr.write(`ec2lite: ${consoleStale}; building the web console…\n`);
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-console.mjs')], { stdio: 'inherit' });
  if (build.error || build.status !== 0) {
    process.stderr.write('ec2lite: the web console build failed\n');
    process.exit(1);
  }
}

// The server runs in a node of its own, started the way the `ec2lite` command's #! line starts it:
// glibc's malloc settings count only at start (START_ENV in app/heap.ts).
const { START_ENV } = await import(pathToFileURL(join(OUT, 'app', 'heap.js')).href);
const server = spawn(process.execPath, [join(OUT, 'cli', 'main.js'), 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ...START_ENV },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1);
});
