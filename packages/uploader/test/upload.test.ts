/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import '../src/index.js';
import { FakeTusServer } from './support/fake-tus-server.js';
import {
  expectTrue,
  fileBytes,
  forgetRememberedUploads,
  mountUploader,
  recordEvents,
  removeMounted,
  sessionToken,
  until,
  videoFile,
  warningsDuring,
} from './support/helpers.js';

describe('<lectern-uploader> uploading', () => {
  let server: FakeTusServer;
  beforeEach(() => {
    server = new FakeTusServer().install();
  });
  afterEach(() => {
    removeMounted();
    server.uninstall();
    forgetRememberedUploads();
  });

  it('creates the upload with its size, file name, type and title, and sends every byte', async () => {
    const uploader = await mountUploader();
    const events = recordEvents(uploader, 'lectern-upload-progress', 'lectern-upload-complete');
    const file = videoFile('Onboarding 2025.mp4', 10_000);

    await uploader.selectFile(file);
    await until(() => uploader.state === 'complete', 'completion');

    const [create] = server.requestsOf('POST');
    expectEqual(create?.headers['upload-length'], '10000', 'Upload-Length');
    expectEqual(create?.headers['tus-resumable'], '1.0.0', 'Tus-Resumable');
    expectEqual(create?.headers.authorization, `Bearer ${sessionToken()}`, 'Authorization');
    const upload = [...server.uploads.values()][0];
    expectEqual(
      upload?.metadata,
      { filename: 'Onboarding 2025.mp4', filetype: 'video/mp4', title: 'Onboarding 2025' },
      'metadata',
    );
    expectEqual(upload?.bytes, await fileBytes(file), 'the bytes on the server');
    expectTrue(
      server.requests.every((request) => request.headers.authorization?.startsWith('Bearer ')),
      'every request to carry the token',
    );

    expectEqual(uploader.videoId, upload?.videoId, 'videoId');
    const complete = events.filter((event) => event.type === 'lectern-upload-complete');
    expectEqual(
      complete,
      [{ type: 'lectern-upload-complete', detail: { videoId: upload?.videoId } }],
      'complete event',
    );
    const last = events.filter((event) => event.type === 'lectern-upload-progress').at(-1);
    expectEqual(last?.detail, { bytesUploaded: 10_000, bytesTotal: 10_000 }, 'last progress');
  });

  it('sends the title the page gives instead of the file name', async () => {
    const uploader = await mountUploader({ attributes: { 'video-title': 'Brandschutz – Teil 1' } });
    await uploader.selectFile(videoFile('bs1-final-v3.mp4'));
    await until(() => uploader.state === 'complete', 'completion');
    expectEqual([...server.uploads.values()][0]?.metadata.title, 'Brandschutz – Teil 1', 'title');
  });

  it('goes on from the offset the server answers, even when it took less than was sent', async () => {
    server.commitUnit = 1024; // whole "encrypted chunks" only
    const uploader = await mountUploader({ attributes: { 'chunk-size': '3000' } });
    const file = videoFile('Chunks.mp4', 10_000);

    await uploader.selectFile(file);
    await until(() => uploader.state === 'complete', 'completion');

    const offsets = server.requestsOf('PATCH').map((request) => request.headers['upload-offset']);
    expectEqual(
      offsets,
      ['0', '2048', '4096', '6144', '8192'],
      'the offsets each PATCH starts from',
    );
    expectEqual(
      [...server.uploads.values()][0]?.bytes,
      await fileBytes(file),
      'the bytes on the server',
    );
  });

  it('asks a token function before every request, so that a refreshed session is used', async () => {
    const uploader = await mountUploader();
    let issued = 0;
    uploader.token = () => sessionToken(`user-1`) + `.${(issued += 1)}`;

    await uploader.selectFile(videoFile());
    await until(() => uploader.state === 'complete', 'completion');

    const tokens = server.requests.map((request) =>
      request.headers.authorization?.split('.').pop(),
    );
    expectEqual(new Set(tokens).size, server.requests.length, 'a fresh token on each request');
  });

  it('gives up with upload.no_progress when the server keeps taking nothing', async () => {
    server.takeNothing = true;
    const uploader = await mountUploader();

    await warningsDuring(async () => {
      await uploader.selectFile(videoFile());
      await until(() => uploader.state === 'error', 'the error');
    });

    expectEqual(uploader.error?.code, 'upload.no_progress', 'code');
    expectEqual(server.requestsOf('PATCH').length, 3, 'PATCH requests before giving up');
  });

  it('stays paused when paused before the first request', async () => {
    const uploader = await mountUploader();
    const choosing = uploader.selectFile(videoFile());
    uploader.pause();
    await choosing;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expectEqual(server.requests.length, 0, 'requests while paused');
    expectEqual(uploader.state, 'paused', 'state');

    uploader.resume();
    await until(() => uploader.state === 'complete', 'completion');
    expectEqual(server.requestsOf('POST').length, 1, 'one upload created');
  });
});
