/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import '../src/index.js';
import { FakeTusServer } from './support/fake-tus-server.js';
import {
  fileBytes,
  forgetRememberedUploads,
  mountUploader,
  recordEvents,
  rememberedUploads,
  removeMounted,
  statusText,
  until,
  videoFile,
  warningsDuring,
} from './support/helpers.js';

function setOnline(online: boolean | undefined): void {
  if (online === undefined) delete (navigator as { onLine?: boolean }).onLine;
  else Object.defineProperty(navigator, 'onLine', { value: online, configurable: true });
}

describe('<lectern-uploader> interruptions', () => {
  let server: FakeTusServer;
  beforeEach(() => {
    server = new FakeTusServer().install();
  });
  afterEach(() => {
    setOnline(undefined);
    removeMounted();
    server.uninstall();
    forgetRememberedUploads();
  });

  it('pauses and resumes from the offset the server reports', async () => {
    server.holdPatches = true;
    server.commitUnit = 1024;
    server.cutNextPatchAfter = 4500;
    const uploader = await mountUploader();
    const events = recordEvents(uploader, 'lectern-upload-pause', 'lectern-upload-resume');
    const file = videoFile();
    await uploader.selectFile(file);
    await until(() => server.requestsOf('PATCH').length === 1, 'the first PATCH');

    uploader.pause();
    await uploader.updateComplete;
    expectEqual(uploader.state, 'paused', 'state');
    expectEqual(statusText(uploader), 'Paused. Choose Resume to go on.', 'status');
    server.holdPatches = false;
    server.release(); // the paused request still delivers 4500 bytes; 4096 are committed
    await until(() => [...server.uploads.values()][0]?.offset === 4096, 'the commit');

    uploader.resume();
    await until(() => uploader.state === 'complete', 'completion');
    expectEqual(server.requestsOf('HEAD').length, 1, 'HEAD asked for the offset');
    expectEqual(server.requestsOf('PATCH').at(-1)?.headers['upload-offset'], '4096', 'resumed at');
    expectEqual([...server.uploads.values()][0]?.bytes, await fileBytes(file), 'bytes');
    expectEqual(
      events.map((event) => event.detail),
      [{ reason: 'user' }, { reason: 'user' }],
      'events',
    );
  });

  it('cancels: deletes the upload on the server and forgets it in this browser', async () => {
    server.holdPatches = true;
    const uploader = await mountUploader();
    const events = recordEvents(uploader, 'lectern-upload-cancel');
    await uploader.selectFile(videoFile('Draft.mp4'));
    await until(() => server.requestsOf('PATCH').length === 1, 'the first PATCH');
    expectEqual(rememberedUploads().length, 1, 'remembered while running');

    uploader.cancel();
    await until(() => server.requestsOf('DELETE').length === 1, 'the DELETE');
    await until(() => rememberedUploads().length === 0, 'the browser to forget it');
    expectEqual(uploader.state, 'idle', 'state');
    expectEqual(server.uploads.size, 0, 'uploads left on the server');
    expectEqual(events[0]?.detail, { name: 'Draft.mp4' }, 'cancel event');
    expectEqual(statusText(uploader), 'The upload of “Draft.mp4” was cancelled.', 'status');
  });

  it('waits for the network when the browser goes offline, and goes on when it is back', async () => {
    server.holdPatches = true;
    const uploader = await mountUploader({ lang: 'de' });
    const events = recordEvents(uploader, 'lectern-upload-pause', 'lectern-upload-resume');
    await uploader.selectFile(videoFile());
    await until(() => server.requestsOf('PATCH').length === 1, 'the first PATCH');

    setOnline(false);
    window.dispatchEvent(new Event('offline'));
    await uploader.updateComplete;
    expectEqual(uploader.state, 'offline', 'state');
    expectEqual(
      statusText(uploader),
      'Warten auf das Netzwerk … Das Hochladen geht weiter, sobald Sie wieder online sind.',
      'status',
    );
    const sent = server.requests.length;
    server.holdPatches = false;
    server.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expectEqual(server.requests.length, sent, 'no request while offline');

    setOnline(true);
    window.dispatchEvent(new Event('online'));
    await until(() => uploader.state === 'complete', 'completion');
    expectEqual(
      events,
      [
        { type: 'lectern-upload-pause', detail: { reason: 'offline' } },
        { type: 'lectern-upload-resume', detail: { reason: 'online' } },
      ],
      'events',
    );
  });

  it('treats a failed request while the browser is offline as waiting, not as an error', async () => {
    server.answerNext('PATCH', { network: true });
    setOnline(false);
    const uploader = await mountUploader();
    const errors = recordEvents(uploader, 'lectern-upload-error');

    await uploader.selectFile(videoFile());
    await until(() => uploader.state === 'offline', 'the offline state');
    expectEqual(errors.length, 0, 'error events');

    setOnline(true);
    window.dispatchEvent(new Event('online'));
    await until(() => uploader.state === 'complete', 'completion');
  });

  it('tries again with pauses after a dropped connection, saying so', async () => {
    server.answerNext('PATCH', { network: true });
    server.answerNext('PATCH', { status: 503, code: 'server.not_ready', message: 'Starting.' });
    const uploader = await mountUploader();
    uploader.retryDelays = [0, 200, 400];
    const statuses: string[] = [];
    const watcher = setInterval(() => statuses.push(statusText(uploader)), 10);

    await uploader.selectFile(videoFile('Retry.mp4'));
    await until(() => uploader.state === 'complete', 'completion');
    clearInterval(watcher);

    expectEqual(server.requestsOf('PATCH').length, 3, 'PATCH requests');
    expectEqual(
      statuses.includes('The upload was interrupted; trying again (2 of 3)…'),
      true,
      'status',
    );
  });

  it('resumes an unfinished upload of the same file after a reload', async () => {
    server.commitUnit = 1024;
    server.cutNextPatchAfter = 6000;
    const first = await mountUploader();
    first.retryDelays = [];
    const file = videoFile('Reloaded.mp4');
    await warningsDuring(async () => {
      await first.selectFile(file);
      await until(() => first.state === 'error', 'the cut');
    });
    const videoId = first.videoId;
    first.parentElement?.remove(); // as a reload would, without cancelling
    expectEqual(rememberedUploads().length, 1, 'remembered after the "reload"');

    const second = await mountUploader();
    const events = recordEvents(second, 'lectern-upload-start', 'lectern-upload-complete');
    await second.selectFile(videoFile('Reloaded.mp4'));
    expectEqual(statusText(second), 'Resuming the earlier upload of “Reloaded.mp4”…', 'status');
    await until(() => second.state === 'complete', 'completion');

    expectEqual(server.requestsOf('POST').length, 1, 'no second upload created');
    expectEqual(server.requestsOf('PATCH').at(-1)?.headers['upload-offset'], '5120', 'resumed at');
    expectEqual([...server.uploads.values()][0]?.bytes, await fileBytes(file), 'bytes');
    expectEqual(events[0]?.detail, { name: 'Reloaded.mp4', size: 10_000, resumed: true }, 'start');
    expectEqual(events[1]?.detail, { videoId }, 'complete with the first video id');
    expectEqual(rememberedUploads().length, 0, 'forgotten once complete');
  });

  it('keeps an unfinished upload when the session has expired at resume time', async () => {
    server.holdPatches = true;
    const first = await mountUploader();
    await first.selectFile(videoFile('Expired session.mp4'));
    await until(() => server.requestsOf('PATCH').length === 1, 'the first PATCH');
    first.pause();

    server.answerNext('HEAD', {
      status: 401,
      code: 'auth.expired',
      message: 'The session has expired; start a new session.',
    });
    await warningsDuring(async () => {
      first.resume();
      await until(() => first.state === 'error', 'the refusal');
    });
    expectEqual(first.error?.code, 'auth.expired', 'code');
    expectEqual(server.requestsOf('POST').length, 1, 'no new upload created');
    expectEqual(rememberedUploads().length, 1, 'the upload is still remembered');
  });

  it('starts again when the remembered upload has expired on the server', async () => {
    server.commitUnit = 1024;
    server.cutNextPatchAfter = 3000;
    const first = await mountUploader();
    first.retryDelays = [];
    await warningsDuring(async () => {
      await first.selectFile(videoFile('Old.mp4'));
      await until(() => first.state === 'error', 'the cut');
    });
    first.parentElement?.remove();
    server.answerNext('HEAD', {
      status: 410,
      code: 'upload.expired',
      message: 'The upload expired.',
    });

    const second = await mountUploader();
    const statuses = new Set<string>();
    second.addEventListener('lectern-upload-progress', () => statuses.add(statusText(second)));
    await second.selectFile(videoFile('Old.mp4'));
    await until(() => second.state === 'complete', 'completion');

    const restarting =
      'The earlier upload of “Old.mp4” is no longer on the server; starting again.';
    expectEqual(statuses.has(restarting), true, 'the person is told');
    expectEqual(server.requestsOf('POST').length, 2, 'a new upload was created');
    expectEqual(second.videoId, [...server.uploads.values()].at(-1)?.videoId, 'the new video id');
  });
});
