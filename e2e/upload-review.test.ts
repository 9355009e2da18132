import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { forEachDatabase } from '../server/test/support/databases.ts';
import { startTestLectern, type TestLectern } from '../server/test/support/lectern.ts';
import { makeMediaFiles, windowsOf } from '../server/test/support/media-files.ts';
import { allTables, findPlaintext } from '../server/test/support/plaintext-scan.ts';
import { launchChromium } from './browser.ts';
import { servePages } from './pages.ts';

const files = makeMediaFiles();
const largeFile = path.join(files.folder, 'large.mkv');

interface PageEvent {
  name: string;
  detail: Record<string, unknown>;
}

const eventsOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { lecternEvents: PageEvent[] }).lecternEvents);

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

forEachDatabase('an upload survives a cut and a reload, and waits for a critic', (openDatabase) => {
  let lectern: TestLectern;
  let pages: Awaited<ReturnType<typeof servePages>>;
  let browser: Browser;

  before(async () => {
    lectern = await startTestLectern(await openDatabase(), {}, { jobs: 'queue-and-workers' });
    pages = await servePages(lectern.url);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await lectern?.stop();
  });

  it('author uploads, the line drops, the page reloads, the upload resumes; critic approves; viewer sees it only then', async () => {
    const tenant = await lectern.createTenant();
    const author = await lectern.signIn(tenant, ['author']);
    const critic = await lectern.signIn(tenant, ['critic']);
    const viewer = await lectern.signIn(tenant, ['viewer']);

    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    // A slow line, so that there is a middle to cut the upload in.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 5,
      downloadThroughput: -1,
      uploadThroughput: 2 * 1024 * 1024,
    });
    await page.goto(pages.url('lectern-uploader', author.token));
    await pickFile(page);

    const partway = await waitFor('a third of the upload', async () => {
      const progress = (await eventsOf(page)).filter(
        (event) => event.name === 'lectern-upload-progress',
      );
      const last = progress.at(-1)?.detail as
        { bytesUploaded: number; bytesTotal: number } | undefined;
      return last && last.bytesUploaded > last.bytesTotal / 3 ? last : undefined;
    });
    assert.ok(partway.bytesUploaded < files.large.length);

    // The connection drops; then the person reloads the page and picks the file again.
    await page.setOfflineMode(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await page.setOfflineMode(false);
    const committed = await waitFor('the server to commit what arrived', async () => {
      const row = await lectern.db('uploads').first('committed');
      return row && Number(row.committed) > 0 ? Number(row.committed) : undefined;
    });
    await page.reload();
    await pickFile(page);

    const complete = await waitFor(
      'the upload to complete',
      async () => {
        const events = await eventsOf(page);
        const failed = events.find((event) => event.name === 'lectern-upload-error');
        if (failed) throw new Error(`upload failed: ${JSON.stringify(failed.detail)}`);
        return events.find((event) => event.name === 'lectern-upload-complete');
      },
      120_000,
    );
    const videoId = complete.detail.videoId as string;
    const restart = (await eventsOf(page)).find((event) => event.name === 'lectern-upload-start');
    assert.equal(restart?.detail.resumed, true, 'the reloaded page resumed the upload');
    assert.equal(await countRows('uploads'), 1, 'one upload, not a second one from scratch');
    assert.ok(committed % 65_536 === 0);
    // The critic sees it once it is transcoded.
    assert.equal((await lectern.waitForState(videoId, 'in_review')).state, 'in_review');

    // Before approval the viewer's library does not show it.
    const library = await browser.newPage();
    await library.goto(pages.url('lectern-library', viewer.token));
    assert.deepEqual(await listedIds(library), []);

    const queue = await browser.newPage();
    await queue.goto(pages.url('lectern-review-queue', critic.token));
    const approve = await queue.waitForSelector(
      `lectern-review-queue >>> li[data-video-id="${videoId}"] [part="approve-button"]`,
    );
    await approve?.click();
    await waitFor('the decision', async () =>
      (await eventsOf(queue)).find((event) => event.name === 'lectern-review-decided'),
    );

    await library.reload();
    assert.deepEqual(await listedIds(library), [videoId]);
    const stored = await lectern.db('videos').where({ id: videoId }).first();
    assert.equal(stored.state, 'published');
    assert.equal(Number(stored.original_size), files.large.length);

    // The viewer plays the encrypted stream: time advances and frames are decoded.
    const player = await browser.newPage();
    await player.goto(pages.url('lectern-player', viewer.token, videoId));
    const play = await player.waitForSelector('lectern-player >>> [part="big-play-button"]');
    await play?.click();
    const decoded = await player.waitForFunction(
      () =>
        new Promise<number>((resolve) => {
          const video = document
            .querySelector('lectern-player')
            ?.shadowRoot?.querySelector('video');
          if (!video || video.currentTime < 0.5) return resolve(0);
          video.requestVideoFrameCallback((_now, frame) => resolve(frame.presentedFrames));
        }),
      { timeout: 60_000, polling: 250 },
    );
    assert.ok(((await decoded.jsonValue()) as number) > 0, 'no frame was decoded');

    // Someone of another tenant gets a clear error, not a stream.
    const outsider = await lectern.signIn(await lectern.createTenant(), ['viewer']);
    const refused = await browser.newPage();
    await refused.goto(pages.url('lectern-player', outsider.token, videoId));
    // The player asks for the stream when it connects (to show the poster): the refusal comes then.
    const error = await waitFor('the player to refuse', async () =>
      (await eventsOf(refused)).find((event) => event.name === 'lectern-error'),
    );
    assert.equal(error.detail.code, 'resource.not_found');
    const shown = await refused.$eval(
      'lectern-player >>> [part="error-message"]',
      (node) => node.textContent ?? '',
    );
    assert.ok(shown.trim().length > 0, 'the refusal is shown to the person');
    assert.equal(
      await refused.evaluate(() =>
        performance.getEntriesByType('resource').some((entry) => entry.name.includes('.m3u8')),
      ),
      false,
      'no playlist was fetched',
    );

    const found = await findPlaintext(windowsOf(files.large), {
      folders: [lectern.dataDir],
      db: lectern.db,
      tables: await allTables(lectern.db),
    });
    assert.deepEqual(found, [], 'plaintext of the upload rests somewhere');
  });

  async function pickFile(page: Page) {
    const button = await page.waitForSelector('lectern-uploader >>> button[part="button"]');
    const [chooser] = await Promise.all([page.waitForFileChooser(), button?.click()]);
    await chooser.accept([largeFile]);
  }

  async function listedIds(page: Page): Promise<string[]> {
    await page.waitForFunction(() => {
      const element = document.querySelector('lectern-library');
      return element?.shadowRoot?.querySelector('[part="list"], [part="empty"]') != null;
    });
    return page.evaluate(() =>
      [
        ...((document.querySelector('lectern-library') as unknown as { videos: { id: string }[] })
          .videos ?? []),
      ].map((video) => video.id),
    );
  }

  async function countRows(table: string): Promise<number> {
    const [row] = await lectern.db(table).count({ n: '*' });
    return Number(row?.n);
  }
});
