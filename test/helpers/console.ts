// What the console tests share: a server with a browser on it, the navigation pane, table rows
// and the Launch instances wizard driven through the UI.
import type { Locator, Page } from 'playwright-core';
import type { ServerConfig } from '../../src/app/config.js';
import { launchBrowser, until, type Browser } from './browser.js';
import { startTestServer, type TestServer } from './server.js';

export interface ConsoleSession {
  server: TestServer;
  browser: Browser;
  page: Page;
}

/** A test server and a fresh Chromium; the page opens the console unless `goto` is false. */
export async function openConsole(overrides: Partial<ServerConfig> = {}, { goto = true } = {}): Promise<ConsoleSession> {
  const server = await startTestServer(overrides);
  const browser = await launchBrowser();
  if (goto) await browser.page.goto(server.url);
  return { server, browser, page: browser.page };
}

/** Closes what openConsole opened (either may be missing when `before` failed). */
export async function closeConsole(session: Partial<ConsoleSession>): Promise<void> {
  await session.browser?.close();
  await session.server?.close();
}

/** Clicks a link of the navigation pane. */
export const navTo = (page: Page, name: string): Promise<void> =>
  page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name, exact: true }).click();

/** The row of the table labelled `table` that contains `text`. */
export const tableRow = (page: Page, table: string, text: string): Locator => page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });

/**
 * The Connect page's SSH client instructions: the chmod and ssh lines. The page shows them at once
 * and fills in user and address when the instance has loaded, so this waits for a complete line.
 */
export async function sshClientLines(page: Page): Promise<{ chmod: string; ssh: string }> {
  // EC2 Instance Connect is the first tab, as in AWS's console
  await page.getByRole('tab', { name: 'SSH client' }).click();
  const codes = page.getByRole('region', { name: 'SSH client' }).locator('code');
  await codes.first().waitFor();
  const [chmod, ssh] = await until('the complete ssh line', async () => {
    const lines = (await codes.allTextContents()).map((s) => s.trim());
    return /\S@\S+$/.test(lines[1] ?? '') && lines;
  });
  return { chmod: chmod!, ssh: ssh! };
}

/**
 * Instances → Launch instances: Name, the first AMI whose label contains `ami`, then `more` for the
 * rest of the wizard; Launch instance. Returns the instance id the success message names.
 */
export async function launchInWizard(page: Page, opts: { name: string; ami: string; more?: () => Promise<void> }): Promise<string> {
  await navTo(page, 'Instances');
  await page.getByRole('button', { name: 'Launch instances' }).click();
  await page.getByRole('heading', { name: 'Launch an instance' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(opts.name);
  const ami = page.getByLabel('Amazon Machine Image (AMI)');
  await until('the AMI list', async () => (await ami.locator('option').count()) > 0);
  await ami.selectOption({ label: (await ami.locator('option').allTextContents()).find((t) => t.includes(opts.ami))! });
  await opts.more?.();
  await page.getByRole('button', { name: 'Launch instance' }).click();
  const flash = page.getByText(/^Successfully initiated launch of instance i-[0-9a-f]+/);
  await flash.waitFor();
  return /i-[0-9a-f]+/.exec((await flash.textContent())!)![0];
}
