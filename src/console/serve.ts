// Serves the web console: GET / (a bare GET with no query string is never an API call, so the
// browser gets the page while GET /?Action=… and POST / stay the API) and its bundled assets under
// /console/. The assets are built by scripts/build-console.mjs into dist/console/ and read once,
// at start-up, into memory. The console itself is a client of the public API (src/console/web).
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ASSET_PREFIX = '/console/';

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

// Only our own bundle runs: no inline script, no other origin (the page talks to this server only).
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** dist/console/, beside dist/src/console/serve.js. */
export const DEFAULT_ASSET_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

const ASSET_NAMES = ['index.html', 'app.js', 'app.css'] as const;

function loadAssets(dir: string): Map<string, Asset> | undefined {
  if (!ASSET_NAMES.every((n) => existsSync(`${dir}/${n}`))) return undefined;
  const assets = new Map<string, Asset>();
  for (const name of ASSET_NAMES) {
    const body = readFileSync(`${dir}/${name}`);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, type: TYPES[name.split('.').pop()!]!, etag });
  }
  return assets;
}

export type ConsoleRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The console's routes as one function: answers the request and returns true when it is for the
 * console, returns false to let the API handle it.
 */
export function consoleRoute(assetDir = DEFAULT_ASSET_DIR): ConsoleRoute {
  const assets = loadAssets(assetDir);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = q < 0 ? '' : raw.slice(q + 1);
    let name: string | undefined;
    if (path === '/' && query === '') name = 'index.html';
    else if (path.startsWith(CONSOLE_ASSET_PREFIX)) name = path.slice(CONSOLE_ASSET_PREFIX.length);
    else return false;
    const asset = assets?.get(name);
    if (!asset) {
      const body = assets ? 'Not Found\n' : 'The console is not built: run `npm run build`.\n';
      res.writeHead(assets ? 404 : 503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    const headers = { ...SECURITY_HEADERS, 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
