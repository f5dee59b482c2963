import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Headless Chromium (Debian's package) for the tests of what people see. Without it a test says
 * so and is skipped, except in CI (`.ci/run` installs it and sets HEED_CI=1), where that fails.
 */
export const CHROMIUM = process.env.HEED_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  if (process.env.HEED_CI === '1') throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it`);
  console.warn(
    `skipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set HEED_CHROMIUM)`,
  );
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

const SHOTS = fileURLToPath(new URL('../../test-results/pages/', import.meta.url));

/**
 * A Chromium for one test file, launched before its tests and closed after them: pages on a
 * 360 × 740 phone, screenshots written to test-results/pages/.
 */
export const phoneBrowser = () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!chromiumAvailable) return;
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    page: (): Promise<Page> => {
      if (!browser) throw new Error('Chromium is not running');
      return browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
    },
    screenshot: (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true }),
  };
};
