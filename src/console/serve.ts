// The web console's files, for the internal route table: GET / (the route table only sees GETs
// without `Action=`, so `GET /?Action=…` and every POST stay the API) and the bundle under
// /console/. scripts/build-console.mjs builds them into dist/console/; they are read once, at
// start-up, into memory. The console itself (src/console/web) is a client of the public API.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { RouteAnswer, RouteHandler } from '../http/routes.js';

export const CONSOLE_PAGE_PATH = '/';
export const CONSOLE_ASSET_PATH = /^\/console\/([A-Za-z0-9._-]+)$/;

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

// Only our own bundle runs and it talks to this server only: no inline script, no other origin.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** dist/console/, beside dist/src/console/serve.js. */
export const DEFAULT_ASSET_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

const ASSET_NAMES = ['index.html', 'app.js', 'app.css'] as const;
/** The terminal page's files (served when built). */
const TERMINAL_ASSET_NAMES = ['terminal.html', 'terminal.js', 'terminal.css'] as const;

// The terminal page alone allows inline styles: xterm.js sizes and colours its rows with <style>
// elements it creates. Scripts stay our bundle's only.
const TERMINAL_HEADERS = {
  ...SECURITY_HEADERS,
  'content-security-policy': SECURITY_HEADERS['content-security-policy'].replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

function loadAssets(dir: string): Map<string, Asset> | undefined {
  if (!ASSET_NAMES.every((n) => existsSync(`${dir}/${n}`))) return undefined;
  const assets = new Map<string, Asset>();
  for (const name of [...ASSET_NAMES, ...TERMINAL_ASSET_NAMES.filter((n) => existsSync(`${dir}/${n}`))]) {
    const body = readFileSync(`${dir}/${name}`);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, type: TYPES[name.split('.').pop()!]!, etag });
  }
  return assets;
}

const text = (status: number, body: string): RouteAnswer => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

export interface ConsoleFiles {
  /** GET / → the page. */
  readonly page: RouteHandler;
  /** GET /console/<name> → a bundled asset. */
  readonly asset: RouteHandler;
}

export function consoleFiles(assetDir = DEFAULT_ASSET_DIR): ConsoleFiles {
  const assets = loadAssets(assetDir);
  const serve = (name: string, ifNoneMatch: string | undefined): RouteAnswer => {
    if (!assets) return text(503, 'The console is not built: run `npm run build`.\n');
    const asset = assets.get(name);
    if (!asset) return text(404, 'Not Found\n');
    const headers = { ...(name === 'terminal.html' ? TERMINAL_HEADERS : SECURITY_HEADERS), 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache' };
    if (ifNoneMatch === asset.etag) return { status: 304, headers, body: '' };
    return { status: 200, headers, body: asset.body };
  };
  return {
    page: (req) => serve('index.html', req.headers['if-none-match']),
    asset: (req) => serve(req.params[0]!, req.headers['if-none-match']),
  };
}
