// Debian's Chromium driven by playwright-core for the console tests: a fresh, empty profile per
// launch, 1280×800, downloads accepted. A missing /usr/bin/chromium is a failure, never a skip.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Where downloads land before a test saves them. */
  downloads: string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is required for the console tests (Debian package chromium)`);
  const profile = mkdtempSync(join(tmpdir(), 'ec2lite-chromium-'));
  const downloads = mkdtempSync(join(tmpdir(), 'ec2lite-downloads-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    downloadsPath: downloads,
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    downloads,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` until it returns a truthy value (bounded by attempts, not a timing threshold). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false | ''>, attempts = 400): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const v = await fn();
    if (v) return v;
    last = v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what} (last: ${String(last)})`);
}
