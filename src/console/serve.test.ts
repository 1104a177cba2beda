import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_ASSET_PATH, consoleFiles } from './serve.js';

const req = (params: string[] = [], headers: Record<string, string> = {}) => ({ method: 'GET', path: '/', params, query: new URLSearchParams(), headers });

describe('console files', () => {
  it('answers 503 with a hint when the console was not built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-empty-'));
    try {
      const files = consoleFiles(dir);
      const answer = await files.page(req());
      assert.equal(answer.status, 503);
      assert.match(String(answer.body), /npm run build/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('serves the page and assets with their type and an ETag, 304 when unchanged, 404 for other names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-built-'));
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      writeFileSync(join(dir, 'app.js'), 'console.log(1)');
      writeFileSync(join(dir, 'app.css'), 'body{}');
      const files = consoleFiles(dir);
      const page = await files.page(req());
      assert.equal(page.status, 200);
      assert.equal(page.headers?.['content-type'], 'text/html; charset=utf-8');
      assert.equal(String(page.body), '<!doctype html>');
      const js = await files.asset(req(['app.js']));
      assert.equal(js.headers?.['content-type'], 'text/javascript; charset=utf-8');
      const again = await files.asset(req(['app.js'], { 'if-none-match': js.headers!.etag! }));
      assert.equal(again.status, 304);
      assert.equal((await files.asset(req(['index.js']))).status, 404);
      // only the terminal page may use inline styles (xterm.js), never inline scripts
      assert.doesNotMatch(page.headers!['content-security-policy']!, /unsafe-inline/);
      assert.equal((await files.asset(req(['terminal.html']))).status, 404, 'not built here');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('serves the terminal page with inline styles allowed, scripts still self only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-built-'));
    try {
      for (const f of ['index.html', 'app.js', 'app.css', 'terminal.html', 'terminal.js', 'terminal.css']) writeFileSync(join(dir, f), 'x');
      const files = consoleFiles(dir);
      const csp = (await files.asset(req(['terminal.html']))).headers!['content-security-policy']!;
      assert.match(csp, /style-src 'self' 'unsafe-inline'/);
      assert.match(csp, /script-src 'self';/);
      assert.doesNotMatch((await files.asset(req(['terminal.js']))).headers!['content-security-policy']!, /unsafe-inline/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('only matches plain file names under /console/', () => {
    assert.deepEqual(CONSOLE_ASSET_PATH.exec('/console/app.js')?.slice(1), ['app.js']);
    assert.equal(CONSOLE_ASSET_PATH.exec('/console/../etc/passwd'), null);
    assert.equal(CONSOLE_ASSET_PATH.exec('/console/a/b.js'), null);
  });
});
