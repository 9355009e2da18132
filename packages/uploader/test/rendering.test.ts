/// <reference types="mocha" />
import { expectAccessible } from '@lectern/test-support/axe';
import { expectEqual } from '@lectern/test-support/dom';
import '../src/index.js';
import { FakeTusServer } from './support/fake-tus-server.js';
import {
  forgetRememberedUploads,
  mountUploader,
  part,
  plain,
  removeMounted,
  statusText,
  until,
  videoFile,
  warningsDuring,
} from './support/helpers.js';

describe('<lectern-uploader> rendering', () => {
  let server: FakeTusServer;
  beforeEach(() => {
    server = new FakeTusServer().install();
  });
  afterEach(() => {
    removeMounted();
    server.uninstall();
    forgetRememberedUploads();
  });

  it('offers a drop zone and a real button to choose a video, in English', async () => {
    const uploader = await mountUploader({ lang: 'en' });

    expectEqual(part(uploader, 'dropzone')?.textContent?.trim(), 'Drop a video here', 'drop zone');
    expectEqual(part(uploader, 'dropzone')?.getAttribute('role'), 'button', 'drop zone role');
    const button = part(uploader, 'button');
    expectEqual(button?.tagName, 'BUTTON', 'picker element');
    expectEqual(button?.textContent?.trim(), 'Choose a video', 'picker label');
    const input = uploader.shadowRoot?.querySelector('input[type=file]');
    expectEqual(input?.hasAttribute('hidden'), true, 'the file input is hidden');
    expectEqual(input?.getAttribute('accept'), 'video/*', 'accept');
    expectEqual(part(uploader, 'status')?.getAttribute('aria-live'), 'polite', 'live region');
    expectEqual(uploader.state, 'idle', 'state');
  });

  it('speaks German inside a German page and follows a change of language', async () => {
    const uploader = await mountUploader({ lang: 'de-AT' });
    expectEqual(
      part(uploader, 'dropzone')?.textContent?.trim(),
      'Video hierher ziehen',
      'drop zone',
    );
    expectEqual(part(uploader, 'button')?.textContent?.trim(), 'Video auswählen', 'picker label');

    uploader.lang = 'en';
    await until(
      () => part(uploader, 'button')?.textContent?.trim() === 'Choose a video',
      'English',
    );
  });

  it('shows the file, a progress bar with a spoken value, and pause and cancel while uploading', async () => {
    server.holdPatches = true;
    const uploader = await mountUploader({ lang: 'en' });
    await uploader.selectFile(videoFile('Onboarding 2025.mp4', 29_100_000));
    await until(() => server.requestsOf('PATCH').length === 1, 'the first PATCH');
    await uploader.updateComplete;

    expectEqual(
      plain(part(uploader, 'file')?.textContent),
      'Onboarding 2025.mp4 (29.1 MB)',
      'file',
    );
    const progress = part<HTMLProgressElement>(uploader, 'progress');
    expectEqual(progress?.tagName, 'PROGRESS', 'progress element');
    expectEqual(
      plain(progress?.getAttribute('aria-valuetext')),
      '0% — 0 bytes of 29.1 MB',
      'spoken progress',
    );
    expectEqual(part(uploader, 'pause-button')?.textContent?.trim(), 'Pause', 'pause');
    expectEqual(part(uploader, 'cancel-button')?.textContent?.trim(), 'Cancel', 'cancel');
    expectEqual(statusText(uploader), 'Uploading “Onboarding 2025.mp4”…', 'status');
  });

  it('writes progress the German way', async () => {
    server.holdPatches = true;
    const uploader = await mountUploader({ lang: 'de' });
    await uploader.selectFile(videoFile('Einführung.mp4', 29_100_000));
    await until(() => server.requestsOf('PATCH').length === 1, 'the first PATCH');
    server.release();
    await until(() => uploader.state === 'complete', 'completion', 10_000);

    const progress = part(uploader, 'progress');
    expectEqual(
      plain(progress?.getAttribute('aria-valuetext')),
      '100 % — 29,1 MB von 29,1 MB',
      'progress',
    );
    expectEqual(
      statusText(uploader),
      '„Einführung.mp4“ ist hochgeladen und wird jetzt verarbeitet.',
      'status',
    );
  });

  it('has no serious accessibility violations when idle, uploading, paused or failed', async () => {
    server.holdPatches = true;
    const uploader = await mountUploader({ lang: 'en' });
    await expectAccessible(uploader, 'when idle');

    await uploader.selectFile(videoFile());
    await until(() => server.requestsOf('PATCH').length === 1, 'the first PATCH');
    await uploader.updateComplete;
    await expectAccessible(uploader, 'while uploading');

    uploader.pause();
    await uploader.updateComplete;
    await expectAccessible(uploader, 'when paused');

    uploader.cancel();
    await warningsDuring(() =>
      uploader.selectFile(new File([], 'empty.mp4', { type: 'video/mp4' })),
    );
    await uploader.updateComplete;
    await expectAccessible(uploader, 'after an error');
  });
});
