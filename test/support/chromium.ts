import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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
