/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import { FakeTusServer } from './support/fake-tus-server.js';
import {
  mountUploader,
  part,
  recordEvents,
  removeMounted,
  statusText,
  until,
  videoFile,
  warningsDuring,
} from './support/helpers.js';
import { buildFolder, loadBuild, tusChunkRequests, tusChunkUrl } from './support/script-tag.js';

const sentences = {
  en: 'The upload could not start because part of the uploader did not load. Check your connection and try again; if that does not help, reload the page.',
  de: 'Das Hochladen konnte nicht beginnen, weil ein Teil davon nicht geladen wurde. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut; hilft das nicht, laden Sie die Seite neu.',
};

function setOnline(online: boolean | undefined): void {
  if (online === undefined) delete (navigator as { onLine?: boolean }).onLine;
  else Object.defineProperty(navigator, 'onLine', { value: online, configurable: true });
}

const missingTusChunkUrl = tusChunkUrl.replace('/chunks/', '/chunks-not-copied/');

/**
 * lectern.iife.js as on a page that copied it without its `chunks/` folder: the same build,
 * run from a blob URL, with its import of the tus client pointed at a URL that answers 404.
 */
async function loadBuildWithoutTusChunk(): Promise<void> {
  const source = await (await fetch(`${buildFolder}/lectern.iife.js`)).text();
  const changed = source.replace('"./chunks/tus-client.js"', JSON.stringify(missingTusChunkUrl));
  if (changed === source) throw new Error('lectern.iife.js has no import of the tus client.');
  const blob = new Blob([changed], { type: 'text/javascript' });
  await loadBuild(URL.createObjectURL(blob), 'classic');
}

describe('the script-tag build when the tus chunk cannot be loaded', () => {
  let server: FakeTusServer;
  before(loadBuildWithoutTusChunk);
  beforeEach(() => {
    server = new FakeTusServer().install();
  });
  afterEach(() => {
    setOnline(undefined);
    removeMounted();
    server.uninstall();
  });

  for (const lang of ['en', 'de'] as const) {
    it(`shows uploader.load_failed in ${lang}, logs its code and offers to try again`, async () => {
      const uploader = await mountUploader({ lang });
      const events = recordEvents(uploader, 'lectern-upload-error', 'lectern-upload-start');
      const warnings = await warningsDuring(async () => {
        await uploader.selectFile(videoFile());
        await uploader.updateComplete;
      });

      expectEqual(uploader.state, 'error', 'state');
      expectEqual(uploader.error?.code, 'uploader.load_failed', 'code');
      expectEqual(statusText(uploader), sentences[lang], 'sentence shown');
      expectEqual(
        events,
        [
          {
            type: 'lectern-upload-error',
            detail: { code: 'uploader.load_failed', message: sentences[lang] },
          },
        ],
        'events',
      );
      expectEqual(warnings, ['lectern: lectern-uploader: uploader.load_failed (HTTP 0)'], 'log');
      expectEqual(server.requests.length, 0, 'requests to the server');
      expectEqual([...new Set(tusChunkRequests())], [missingTusChunkUrl], 'tus client asked for');
      expectEqual(part(uploader, 'resume-button') !== null, true, 'a "Try again" button');
    });
  }

  it('asks for the tus client again on "Try again", and fails the same way', async () => {
    const uploader = await mountUploader();
    await warningsDuring(async () => {
      await uploader.selectFile(videoFile());
      await uploader.updateComplete;
      const asked = tusChunkRequests().length;
      part(uploader, 'resume-button')?.click();
      expectEqual(uploader.state, 'uploading', 'state right after "Try again"');
      await until(() => uploader.state === 'error', 'the second failure');
      // Chromium (like the HTML standard) no longer keeps a failed module load for the page.
      expectEqual(tusChunkRequests().length, asked + 1, 'tus client requests after "Try again"');
    });
    expectEqual(uploader.error?.code, 'uploader.load_failed', 'code');
    expectEqual(server.requests.length, 0, 'requests to the server');
  });

  it('waits for the network when the tus client fails to load offline, then tries again', async () => {
    setOnline(false);
    const uploader = await mountUploader();
    const events = recordEvents(uploader, 'lectern-upload-error', 'lectern-upload-pause');
    await uploader.selectFile(videoFile());
    expectEqual(uploader.state, 'offline', 'state while offline');
    expectEqual(
      events,
      [{ type: 'lectern-upload-pause', detail: { reason: 'offline' } }],
      'events',
    );

    await warningsDuring(async () => {
      setOnline(true);
      window.dispatchEvent(new Event('online'));
      await until(() => uploader.state === 'error', 'the next attempt to fail');
    });
    expectEqual(uploader.error?.code, 'uploader.load_failed', 'code once online');
  });
});
