import type { Frame, Page } from 'puppeteer-core';

/** The frame of `page` whose URL path is `path`, once it has loaded. */
export async function frameAt(page: Page, path: string): Promise<Frame> {
  const end = Date.now() + 30_000;
  for (;;) {
    const frame = page.frames().find((each) => new URL(each.url()).pathname === path);
    if (frame) {
      await frame.waitForFunction(() => document.readyState === 'complete');
      return frame;
    }
    if (Date.now() > end) {
      throw new Error(`no frame at ${path}; frames: ${page.frames().map((each) => each.url())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
