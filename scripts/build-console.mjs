// Bundles the web console (src/console/web) into dist/console/: one app.js (Preact included, no
// CDN), one app.css and index.html. Runs as part of `npm run build`, after tsc has type-checked it.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const src = new URL('../src/console/web/', import.meta.url);
const out = new URL('../dist/console/', import.meta.url);
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
copyFileSync(new URL('index.html', src), new URL('index.html', out));
copyFileSync(new URL('styles.css', src), new URL('app.css', out));
