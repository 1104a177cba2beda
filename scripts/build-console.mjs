// Builds the web console (src/console/web) into dist/console/: type-checks it with its own
// tsconfig (DOM types), then bundles one app.js (Preact included, no CDN), app.css and index.html
// with esbuild. Run by `npm run build`, `npm run build:src` (so `npm ci`), `prepack` and, when the
// console's sources are newer than the bundle, `npm start`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const src = new URL('src/console/web/', root);
const out = new URL('dist/console/', root);

const check = spawnSync(new URL('node_modules/.bin/tsc', root).pathname, ['-p', new URL('tsconfig.json', src).pathname], { stdio: 'inherit' });
if (check.error || check.status !== 0) {
  process.stderr.write(`build-console: type errors in src/console/web${check.error ? ` (${check.error.message})` : ''}\n`);
  process.exit(1);
}

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL('main.tsx', src).pathname],
  outfile: new URL('app.js', out).pathname,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'chrome110',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
// The terminal page: its own bundle and stylesheet (xterm.js's CSS first, then ours).
await build({
  entryPoints: [new URL('terminal/terminal.ts', src).pathname],
  outfile: new URL('terminal.js', out).pathname,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'chrome110',
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(
  new URL('terminal.css', out),
  readFileSync(new URL('node_modules/@xterm/xterm/css/xterm.css', root), 'utf8') + readFileSync(new URL('terminal/terminal.css', src), 'utf8'),
);
copyFileSync(new URL('terminal/terminal.html', src), new URL('terminal.html', out));
copyFileSync(new URL('index.html', src), new URL('index.html', out));
copyFileSync(new URL('styles.css', src), new URL('app.css', out));
