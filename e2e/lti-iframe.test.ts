import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { forEachDatabase } from '../server/test/support/databases.ts';
import {
  startTestLectern,
  type TestLectern,
  type TestTenant,
} from '../server/test/support/lectern.ts';
import type { TestPlatform } from '../server/test/support/lti-platform.ts';
import { registeredPlatform } from '../server/test/lti/support.ts';
import { makeVideo } from '../server/test/support/videos.ts';
import { launchChromium } from './browser.ts';
import { frameAt } from './frames.ts';

// The LMS on 127.0.0.2 and Lectern on 127.0.0.1: two sites, so Lectern in the course page's
// iframe is third-party, as a Moodle on its own domain frames it.
const lmsHost = '127.0.0.2';

forEachDatabase(
  'an LTI launch inside an iframe with third-party cookies blocked',
  (openDatabase) => {
    let lectern: TestLectern;
    let tenant: TestTenant;
    let platform: TestPlatform;
    let browser: Browser;

    before(async () => {
      lectern = await startTestLectern(await openDatabase());
      tenant = await lectern.createTenant();
      platform = await registeredPlatform(lectern, tenant, { host: lmsHost });
      // Chrome's blocking of third-party cookies, as Safari and Firefox do by default.
      browser = await launchChromium(['--test-third-party-cookie-phaseout']);
    });
    after(async () => {
      await browser?.close();
      await platform?.close();
      await lectern?.stop();
    });

    it('the browser really refuses a plain third-party cookie in the frame', async () => {
      const probe = await cookieProbe();
      try {
        const page = await browser.newPage();
        await page.goto(probe.topUrl);
        const frame = await frameAt(page, '/check');
        const text = await frame.evaluate(() => document.body.textContent ?? '');
        assert.equal(
          text.trim(),
          'cookie: none',
          'third-party cookies must be blocked for this test to mean anything',
        );
        await page.close();
      } finally {
        await probe.close();
      }
    });

    it('a teacher launch completes in the frame: the library lists the course videos', async () => {
      const owner = await lectern.signIn(tenant, ['author']);
      await makeVideo(lectern.db, {
        tenantId: tenant.id,
        ownerId: owner.user.id,
        state: 'published',
        title: 'Fire safety',
      });
      const page = await browser.newPage();
      await page.goto(platform.coursePage({ user: { id: '7', role: 'teacher' } }));

      const frame = await frameAt(page, '/lti/launch');
      assert.equal(
        await frame.evaluate(() => document.querySelector('main')?.dataset.lecternView),
        'library',
        'the launch page, not the new-window fallback',
      );
      await frame.waitForFunction(
        () =>
          document.querySelector('lectern-library')?.shadowRoot?.querySelector('[part="item"]') !=
          null,
        { timeout: 30_000 },
      );
      const titles = await frame.evaluate(() =>
        (
          (document.querySelector('lectern-library') as unknown as { videos: { title: string }[] })
            .videos ?? []
        ).map((video) => video.title),
      );
      assert.deepEqual(titles, ['Fire safety']);
      await page.close();
    });

    it('where the browser drops even the partitioned cookie, the platform storage frame carries the login', async () => {
      const page = await browser.newPage();
      // As Safari does: the browser does not keep Lectern's state cookie inside the frame. It
      // is gone by the time the platform answers the sign-in.
      const cdp = await page.createCDPSession();
      await page.setRequestInterception(true);
      const paths: string[] = [];
      page.on('request', (request) => {
        const { pathname } = new URL(request.url());
        paths.push(pathname);
        if (pathname !== '/auth') return void request.continue();
        void cdp.send('Network.clearBrowserCookies').then(() => request.continue());
      });
      await page.goto(
        platform.coursePage({
          user: { id: '7', role: 'teacher' },
          storageTarget: 'post_message_forwarding',
        }),
      );

      const frame = await frameAt(page, '/lti/launch');
      await frame.waitForFunction(() => document.querySelector('main')?.dataset.lecternView, {
        timeout: 30_000,
      });
      assert.equal(
        await frame.evaluate(() => document.querySelector('main')?.dataset.lecternView),
        'library',
      );
      await frame.waitForFunction(
        () =>
          document.querySelector('lectern-library')?.shadowRoot?.querySelector('[part="item"]') !=
          null,
        { timeout: 30_000 },
      );
      assert.ok(paths.includes('/lti/launch/confirm'), 'the launch went through the storage frame');
      await page.close();
    });
  },
);

/**
 * A control: a page on the LMS's site frames a server on Lectern's site that sets a plain
 * `SameSite=None; Secure` cookie, then frames it again to see whether the cookie came back.
 */
async function cookieProbe() {
  const tool = http.createServer((request, response) => {
    if (request.url === '/set') {
      response.setHeader('Set-Cookie', 'probe=1; Path=/; SameSite=None; Secure');
      response.end('<!doctype html><p>set</p>');
      return;
    }
    const sent = /(?:^|;\s*)probe=1/.test(request.headers.cookie ?? '');
    response.end(`<!doctype html><body>cookie: ${sent ? 'sent' : 'none'}</body>`);
  });
  await new Promise<void>((resolve) => tool.listen(0, '127.0.0.1', resolve));
  const toolUrl = `http://127.0.0.1:${(tool.address() as AddressInfo).port}`;
  const top = http.createServer((request, response) => {
    // The second frame is added once the first has loaded, so that its cookie had its chance.
    response.end(`<!doctype html><body><iframe src="${toolUrl}/set" onload="
      const check = document.createElement('iframe'); check.src = '${toolUrl}/check';
      document.body.append(check);"></iframe></body>`);
  });
  await new Promise<void>((resolve) => top.listen(0, lmsHost, resolve));
  return {
    topUrl: `http://${lmsHost}:${(top.address() as AddressInfo).port}/`,
    close: async () => {
      // The browser keeps its connections open; they would hold close() up for minutes.
      for (const server of [tool, top]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
