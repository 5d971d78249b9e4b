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
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/** Screenshots checked into docs/ so a reader sees each main view. */
export function screenshotPath(name: string): string {
  return path.resolve(import.meta.dirname, '../../docs/screenshots', `${name}.png`);
}
