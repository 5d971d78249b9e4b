import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, with the flags that keep it off the network (this machine has none),
 * driven by playwright-core. scripts/test.ts provisions it and sets CHROMIUM_PATH.
 * Playwright gives each launch a fresh, empty profile.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Where a test saves a screenshot. The ones checked into docs/ are refreshed on purpose with
 * `UPDATE_SCREENSHOTS=1 npm test`; other runs write to .tmp/screenshots so the tree stays clean.
 */
export function screenshotPath(name: string): string {
  const folder = process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots' : '../../.tmp/screenshots';
  return path.resolve(import.meta.dirname, folder, `${name}.png`);
}
