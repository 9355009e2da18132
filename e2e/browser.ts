import puppeteer, { type Browser } from 'puppeteer-core';

/**
 * Debian's Chromium, headless, as the tests run it here: no sandbox (root), and none of the
 * background traffic that a closed network answers with refusals. `args` add to these.
 */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless=new',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...args,
    ],
  });
}
